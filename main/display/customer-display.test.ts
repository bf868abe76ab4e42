/**
 * The customer display's screens, driven the way the station drives them: the checkout contract's
 * events on a real EventBus (the sale built by the real aggregate), and the display contract's one
 * event out, replayed to a display that connects late.
 */
import { describe, expect, it } from 'vitest';
import type { Product } from '../../common/catalog.ts';
import type { CustomerView } from '../../common/display/customer-view.ts';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import { displayContract } from '../../common/ipc/display-contract.ts';
import { money } from '../../common/money.ts';
import type { PaymentProgress } from '../../common/payment.ts';
import type { Sale, SaleSummary } from '../../common/sale/model.ts';
import { EventBus } from '../ipc/event-bus.ts';
import { addItem, openSale, setLineDiscount, startTender, updateTender } from '../sales/sale.ts';
import { connectCustomerDisplay } from './customer-display.ts';

const now = new Date('2026-12-04T10:00:00.000Z');
const cny = (fen: number) => money(fen, 'CNY');
const product = (sku: string, fen: number): Product => ({ sku, name: { 'zh-CN': `商品${sku}`, en: `Item ${sku}` }, price: cny(fen), vatRateBp: 1300, category: 'x', active: true });
const merchantName = { 'zh-CN': '示范便利店', en: 'Demo Convenience Store' };

function rig() {
  const checkout = new EventBus(checkoutContract, { currentSale: () => 'current' });
  const display = new EventBus(displayContract, { view: () => 'screen' });
  connectCustomerDisplay(checkout, display, { merchantName, currency: 'CNY' });
  const views: CustomerView[] = [];
  display.connect((_event, payload) => views.push(payload as CustomerView));
  return { checkout, display, views, last: () => views.at(-1)! };
}

function ringUp(): Sale {
  let sale = openSale({ id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', stationId: 'POS00001', receiptNumber: '000042', currency: 'CNY', cashierId: '1001', shiftId: 1, now });
  sale = addItem(sale, product('TEA', 450), 2, now);
  sale = addItem(sale, product('BUN', 300), 1, now);
  return setLineDiscount(sale, 1, { kind: 'amount', amountMinor: 100 }, now);
}

const summaryOf = (sale: Sale, status: Sale['status']): SaleSummary => ({
  id: sale.id,
  receiptNumber: sale.receiptNumber,
  status,
  openedAt: sale.openedAt,
  legacy: false,
  paid: sale.totals.total,
  refunded: cny(0),
  total: sale.totals.total,
  tenders: [],
});

const progress = (sale: Sale, patch: Partial<PaymentProgress>): PaymentProgress => ({
  paymentId: '1',
  kind: 'purchase',
  saleId: sale.id,
  tenderId: 1,
  tenderType: 'card',
  step: 'present_card',
  amount: sale.due,
  ...patch,
});

describe('customer display', () => {
  it('starts on the idle screen with the merchant name', () => {
    expect(rig().last()).toEqual({ screen: 'idle', merchantName, currency: 'CNY' });
  });

  it('shows the lines as they are rung up, each with its discount, and the total with its VAT; nothing of the card or the cashier', () => {
    const { checkout, last } = rig();
    const sale = ringUp();
    checkout.emit('currentSale', { sale });
    const view = last();
    expect(view.screen).toBe('sale');
    expect(view.sale?.lines.map((line) => [line.name.en, line.quantity, line.discount.amountMinor, line.amount.amountMinor])).toEqual([
      ['Item TEA', 2, 100, 800],
      ['Item BUN', 1, 0, 300],
    ]);
    expect(view.sale?.totals.total).toEqual(cny(1100));
    expect(view.sale?.totals.vat.amountMinor).toBeGreaterThan(0);
    expect(JSON.stringify(view)).not.toMatch(/cashierId|maskedPan|legs|stationId/);
  });

  it('follows a card tender: insert, tap or swipe; the PIN digits as a count; declined stays shown until the next tender', () => {
    const { checkout, last } = rig();
    const sale = startTender(ringUp(), { id: 1, type: 'card', amountMinor: 1100 }, now);
    checkout.emit('currentSale', { sale });
    checkout.emit('paymentProgress', progress(sale, { step: 'present_card' }));
    expect(last().tender).toEqual({ type: 'card', step: 'present_card', amount: cny(1100) });
    checkout.emit('paymentProgress', progress(sale, { step: 'enter_pin', pinDigits: 3, card: { maskedPan: '622202******1234', scheme: 'unionpay' } }));
    expect(last().tender).toEqual({ type: 'card', step: 'enter_pin', amount: cny(1100), pinDigits: 3 });
    checkout.emit('paymentProgress', progress(sale, { step: 'declined', outcome: { responseCode: '51' } }));
    const declined = updateTender(sale, 1, 'decline', now);
    checkout.emit('currentSale', { sale: declined });
    expect(last()).toMatchObject({ screen: 'sale', tender: { step: 'declined' } });
  });

  it('ends a cash sale on the thank-you screen with the change, until the next sale opens', () => {
    const { checkout, last } = rig();
    const tendering = startTender(ringUp(), { id: 1, type: 'cash', amountMinor: 1100, receivedMinor: 2000 }, now);
    checkout.emit('currentSale', { sale: tendering });
    checkout.emit('paymentProgress', progress(tendering, { tenderType: 'cash', step: 'opening_drawer' }));
    checkout.emit('paymentProgress', progress(tendering, { tenderType: 'cash', step: 'approved', cash: { received: cny(2000), change: cny(900) } }));
    // The journal's flush: the summary first, then the till without a sale.
    checkout.emit('saleChanged', summaryOf(tendering, 'paid'));
    checkout.emit('currentSale', {});
    expect(last()).toMatchObject({ screen: 'thank_you', change: cny(900), sale: { totals: { total: cny(1100) }, paid: cny(1100), due: cny(0) } });

    const next = openSale({ id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c', stationId: 'POS00001', receiptNumber: '000043', currency: 'CNY', now });
    checkout.emit('currentSale', { sale: addItem(next, product('TEA', 450), 1, now) });
    expect(last()).toMatchObject({ screen: 'sale', sale: { receiptNumber: '000043' } });
    expect(last().tender).toBeUndefined();
  });

  it("goes back to idle when a sale is given up, or when the cashier signs out (the till unattended shows no one's items)", () => {
    const { checkout, last } = rig();
    const sale = ringUp();
    checkout.emit('currentSale', { sale });
    checkout.emit('saleChanged', summaryOf(sale, 'cancelled'));
    checkout.emit('currentSale', {});
    expect(last().screen).toBe('idle');
    checkout.emit('currentSale', { sale });
    checkout.emit('session', { operator: { id: '1001', name: 'Li Na', role: 'cashier' } });
    expect(last().screen).toBe('sale');
    checkout.emit('session', {});
    expect(last().screen).toBe('idle');
  });

  it("shows a QR tender's code, and ignores refunds and balance inquiries", () => {
    const { checkout, last } = rig();
    const sale = startTender(ringUp(), { id: 1, type: 'qr', amountMinor: 1100 }, now);
    checkout.emit('currentSale', { sale });
    checkout.emit('paymentProgress', progress(sale, { kind: 'balance_inquiry', saleId: undefined, step: 'enter_pin' }));
    expect(last().tender).toBeUndefined();
    checkout.emit('paymentProgress', progress(sale, { tenderType: 'qr', step: 'authorizing', qr: { mode: 'merchant_presented', payload: '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A' } }));
    expect(last().tender).toMatchObject({ type: 'qr', qr: { payload: expect.stringMatching(/^000201/) } });
  });

  it('replays the screen to a display that connects (or reloads) later', () => {
    const { checkout, display } = rig();
    checkout.emit('currentSale', { sale: ringUp() });
    const replayed: unknown[] = [];
    display.connect((event, payload) => replayed.push([event, (payload as CustomerView).screen]));
    expect(replayed).toEqual([['view', 'sale']]);
  });
});
