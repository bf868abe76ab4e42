/** The demo catalog: twenty everyday items of a Chinese convenience store, priced in CNY fen. */
import type { Product } from '../../common/ipc/checkout-contract.ts';
import { money } from '../../common/money.ts';

const item = (sku: string, zh: string, en: string, fen: number, category: string): Product => ({
  sku,
  name: { 'zh-CN': zh, en },
  price: money(fen, 'CNY'),
  category,
});

export const DEMO_CATALOG: readonly Product[] = [
  item('TEA-001', '茉莉花茶', 'Jasmine tea', 450, 'drinks'),
  item('COF-001', '美式咖啡', 'Americano', 1500, 'drinks'),
  item('COF-002', '拿铁咖啡', 'Caffè latte', 1800, 'drinks'),
  item('WAT-001', '矿泉水', 'Mineral water', 200, 'drinks'),
  item('SOY-001', '豆浆', 'Soy milk', 350, 'drinks'),
  item('JUI-001', '橙汁', 'Orange juice', 680, 'drinks'),
  item('BAO-001', '猪肉包子', 'Pork bun', 300, 'food'),
  item('BAO-002', '菜包', 'Vegetable bun', 250, 'food'),
  item('DUM-001', '速冻水饺', 'Frozen dumplings', 2290, 'food'),
  item('NOO-001', '方便面', 'Instant noodles', 550, 'food'),
  item('RIC-001', '饭团', 'Rice ball', 690, 'food'),
  item('EGG-001', '茶叶蛋', 'Tea egg', 150, 'food'),
  item('SNK-001', '薯片', 'Potato chips', 790, 'snacks'),
  item('SNK-002', '瓜子', 'Sunflower seeds', 1200, 'snacks'),
  item('SNK-003', '巧克力', 'Chocolate bar', 990, 'snacks'),
  item('SNK-004', '月饼', 'Mooncake', 1680, 'snacks'),
  item('HOM-001', '纸巾', 'Tissues', 1290, 'household'),
  item('HOM-002', '雨伞', 'Umbrella', 3900, 'household'),
  item('HOM-003', '充电线', 'Charging cable', 2500, 'household'),
  item('HOM-004', '电池 (4节)', 'Batteries (4-pack)', 1850, 'household'),
];
