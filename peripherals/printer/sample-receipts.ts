/** Test support: sale receipts as the station builds them from a journaled sale, for the printer's tests. */
import { money } from '../../common/money.ts';
import type { SaleReceipt } from './receipt-builder.ts';

const cny = (fen: number) => money(fen, 'CNY');

/** Two lattes and a tea egg, one latte 10 % off, paid by card. */
export const SAMPLE_CARD_SALE: SaleReceipt = {
  locale: 'zh-CN',
  merchantName: { 'zh-CN': '示范便利店', en: 'Demo Convenience Store' },
  merchantId: '898310048160001',
  terminalId: 'POS00001',
  receiptNumber: '000123',
  cashierId: '1001',
  lines: [
    { name: { 'zh-CN': '拿铁咖啡', en: 'Caffè latte' }, quantity: 2, unitPrice: cny(1800), discount: cny(360), amount: cny(3240) },
    { name: { 'zh-CN': '茶叶蛋', en: 'Tea egg' }, quantity: 1, unitPrice: cny(150), discount: cny(0), amount: cny(150) },
  ],
  subtotal: cny(3750),
  discount: cny(360),
  total: cny(3390),
  vat: [
    { rateBp: 1300, amount: cny(3240), vat: cny(373) },
    { rateBp: 900, amount: cny(150), vat: cny(12) },
  ],
  tenders: [{ kind: 'card', amount: cny(3390), maskedPan: '621234******1232', scheme: 'unionpay', approvalCode: 'A1B2C3', rrn: '632510000123', stan: '000123', responseCode: '00' }],
  timestamp: new Date('2026-11-21T02:16:16Z'),
  reference: 'POS00001-000123',
};

/** The same sale, paid 10.00 in cash (50.00 handed over) and the rest by card. */
export const SAMPLE_SPLIT_SALE: SaleReceipt = {
  ...SAMPLE_CARD_SALE,
  tenders: [
    { kind: 'cash', amount: cny(1000), received: cny(5000), change: cny(4000) },
    { ...(SAMPLE_CARD_SALE.tenders[0] as Extract<SaleReceipt['tenders'][number], { kind: 'card' }>), amount: cny(2390) },
  ],
};
