/**
 * A large catalog for the end-to-end spec and the catalog benchmark: `count` items of a Chinese
 * supermarket, made up but shaped like the real thing (a brand, a product and a pack size for a
 * name; valid GTINs under the 69 prefix; prices and VAT by category), the same every run. Written
 * as the CSV a merchant imports, so it goes through `npm run catalog:import` like theirs.
 */
import { withCheckDigit } from '../../common/gtin.ts';

const BRANDS: readonly (readonly [string, string])[] = [
  ['康师傅', 'Master Kong'], ['统一', 'Uni-President'], ['农夫山泉', 'Nongfu'], ['蒙牛', 'Mengniu'], ['伊利', 'Yili'],
  ['旺旺', 'Want Want'], ['达利园', 'Daliyuan'], ['海天', 'Haitian'], ['李锦记', 'Lee Kum Kee'], ['三只松鼠', 'Three Squirrels'],
  ['良品铺子', 'Bestore'], ['白象', 'Baixiang'], ['娃哈哈', 'Wahaha'], ['心相印', 'Hearttex'], ['清风', 'Breeze'], ['立白', 'Liby'],
];
const PRODUCTS: readonly (readonly [string, string, string, number])[] = [
  ['红烧牛肉面', 'braised beef noodles', 'food', 900], ['矿泉水', 'mineral water', 'drinks', 1300], ['纯牛奶', 'whole milk', 'food', 900],
  ['绿茶', 'green tea', 'drinks', 1300], ['酸奶', 'yoghurt', 'food', 900], ['雪饼', 'rice crackers', 'snacks', 1300], ['蛋黄派', 'custard pie', 'snacks', 1300],
  ['生抽', 'light soy sauce', 'food', 900], ['蚝油', 'oyster sauce', 'food', 900], ['坚果', 'mixed nuts', 'snacks', 1300], ['牛肉干', 'beef jerky', 'snacks', 1300],
  ['方便粉丝', 'instant vermicelli', 'food', 900], ['八宝粥', 'eight-treasure porridge', 'food', 900], ['抽纸', 'tissues', 'household', 1300],
  ['卷纸', 'toilet paper', 'household', 1300], ['洗衣液', 'laundry liquid', 'household', 1300], ['洗洁精', 'dish soap', 'household', 1300],
];
const SIZES: readonly (readonly [string, string, number])[] = [
  ['小包', 'small', 1], ['中包', 'medium', 2], ['大包', 'large', 3], ['家庭装', 'family pack', 5], ['6连包', '6-pack', 6], ['12瓶装', '12 bottles', 9],
];

export interface LargeCatalogItem {
  readonly sku: string;
  readonly gtin: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly category: string;
  readonly priceFen: number;
  readonly vatRateBp: number;
}

export function largeCatalogItems(count: number): LargeCatalogItem[] {
  return Array.from({ length: count }, (_, index) => {
    const [brandZh, brandEn] = BRANDS[index % BRANDS.length] as readonly [string, string];
    const [productZh, productEn, category, vatRateBp] = PRODUCTS[Math.floor(index / BRANDS.length) % PRODUCTS.length] as readonly [string, string, string, number];
    const [sizeZh, sizeEn, factor] = SIZES[Math.floor(index / (BRANDS.length * PRODUCTS.length)) % SIZES.length] as readonly [string, string, number];
    const edition = Math.floor(index / (BRANDS.length * PRODUCTS.length * SIZES.length));
    const suffix = edition === 0 ? '' : ` ${edition + 1}`;
    return {
      sku: `SKU-${String(index + 1).padStart(5, '0')}`,
      gtin: withCheckDigit(`69${String(7_000_000_000 + index).padStart(10, '0')}`),
      nameZh: `${brandZh}${productZh}（${sizeZh}）${suffix}`,
      nameEn: `${brandEn} ${productEn} (${sizeEn})${suffix}`,
      category,
      priceFen: (150 + ((index * 7919) % 2850)) * factor,
      vatRateBp,
    };
  });
}

export function largeCatalogCsv(count: number): string {
  const rows = largeCatalogItems(count).map((item) =>
    [item.sku, item.gtin, item.nameZh, item.nameEn, item.category, (item.priceFen / 100).toFixed(2), String(item.vatRateBp / 100), 'true'].join(','),
  );
  return ['sku,gtin,name_zh,name_en,category,price,vat_rate,active', ...rows, ''].join('\n');
}
