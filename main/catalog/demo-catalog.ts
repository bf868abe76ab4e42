/**
 * The demo catalog: twenty everyday items of a Chinese convenience store, priced in CNY fen, VAT
 * included (food 9 %, everything else 13 %). The GTINs are made up under the 69 (China) prefix with
 * valid check digits, so a barcode scanner can ring them up.
 */
import type { Product, VatRateBp } from '../../common/catalog.ts';
import { money } from '../../common/money.ts';

const item = (sku: string, gtin: string, zh: string, en: string, fen: number, vatRateBp: VatRateBp, category: string): Product => ({
  sku,
  gtin,
  name: { 'zh-CN': zh, en },
  price: money(fen, 'CNY'),
  vatRateBp,
  category,
  active: true,
});

export const DEMO_CATALOG: readonly Product[] = [
  item('TEA-001', '6900012345004', '茉莉花茶', 'Jasmine tea', 450, 1300, 'drinks'),
  item('COF-001', '6900012345011', '美式咖啡', 'Americano', 1500, 1300, 'drinks'),
  item('COF-002', '6900012345028', '拿铁咖啡', 'Caffè latte', 1800, 1300, 'drinks'),
  item('WAT-001', '6900012345035', '矿泉水', 'Mineral water', 200, 1300, 'drinks'),
  item('SOY-001', '6900012345042', '豆浆', 'Soy milk', 350, 1300, 'drinks'),
  item('JUI-001', '6900012345059', '橙汁', 'Orange juice', 680, 1300, 'drinks'),
  item('BAO-001', '6900012345066', '猪肉包子', 'Pork bun', 300, 900, 'food'),
  item('BAO-002', '6900012345073', '菜包', 'Vegetable bun', 250, 900, 'food'),
  item('DUM-001', '6900012345080', '速冻水饺', 'Frozen dumplings', 2290, 900, 'food'),
  item('NOO-001', '6900012345097', '方便面', 'Instant noodles', 550, 900, 'food'),
  item('RIC-001', '6900012345103', '饭团', 'Rice ball', 690, 900, 'food'),
  item('EGG-001', '6900012345110', '茶叶蛋', 'Tea egg', 150, 900, 'food'),
  item('SNK-001', '6900012345127', '薯片', 'Potato chips', 790, 1300, 'snacks'),
  item('SNK-002', '6900012345134', '瓜子', 'Sunflower seeds', 1200, 1300, 'snacks'),
  item('SNK-003', '6900012345141', '巧克力', 'Chocolate bar', 990, 1300, 'snacks'),
  item('SNK-004', '6900012345158', '月饼', 'Mooncake', 1680, 1300, 'snacks'),
  item('HOM-001', '6900012345165', '纸巾', 'Tissues', 1290, 1300, 'household'),
  item('HOM-002', '6900012345172', '雨伞', 'Umbrella', 3900, 1300, 'household'),
  item('HOM-003', '6900012345189', '充电线', 'Charging cable', 2500, 1300, 'household'),
  item('HOM-004', '6900012345196', '电池 (4节)', 'Batteries (4-pack)', 1850, 1300, 'household'),
];
