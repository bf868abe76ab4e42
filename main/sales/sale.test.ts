/** The Sale aggregate: lines, discounts, VAT, tenders, refunds, and every refusal the cashier can meet. */
import { describe, expect, it } from 'vitest';
import type { Product } from '../../common/catalog.ts';
import { money } from '../../common/money.ts';
import type { Sale } from '../../common/sale/model.ts';
import { addItem, applySaleEvent, openSale, overridePrice, recordRefund, removeLine, setLineDiscount, setQuantity, setSaleDiscount, startTender, updateTender } from './sale.ts';
import { SaleError } from './sale-error.ts';

const now = new Date('2026-11-21T02:00:00.000Z');
const product = (sku: string, fen: number, vatRateBp: Product['vatRateBp'], active = true): Product => ({ sku, name: { 'zh-CN': sku, en: sku }, price: money(fen, 'CNY'), vatRateBp, category: 'x', active });
const TEA = product('TEA', 450, 1300);
const BUN = product('BUN', 300, 900);
const COFFEE = product('COF', 1800, 1300);
const fresh = () => openSale({ id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', stationId: 'POS00001', receiptNumber: '000001', currency: 'CNY', cashierId: '1001', shiftId: 1, now });
const cny = (fen: number) => money(fen, 'CNY');

function ringUp(): Sale {
  let sale = addItem(fresh(), TEA, 1, now);
  sale = addItem(sale, COFFEE, 1, now);
  return addItem(sale, BUN, 2, now);
}

describe('lines, discounts and VAT', () => {
  it('prices each line and the sale: VAT per line on the VAT-inclusive amount, summed per rate', () => {
    const sale = ringUp();
    expect(sale.lines.map((line) => [line.sku, line.quantity, line.amount.amountMinor, line.vat.amountMinor])).toEqual([
      ['TEA', 1, 450, 52],
      ['COF', 1, 1800, 207],
      ['BUN', 2, 600, 50],
    ]);
    expect(sale.totals).toEqual({
      subtotal: cny(2850),
      discount: cny(0),
      total: cny(2850),
      vat: cny(309),
      vatByRate: [
        { rateBp: 1300, amount: cny(2250), vat: cny(259) },
        { rateBp: 900, amount: cny(600), vat: cny(50) },
      ],
    });
    expect(sale.due).toEqual(cny(2850));
  });

  it('adds to an existing line of the same item, changes and removes lines', () => {
    let sale = addItem(ringUp(), TEA, 2, now);
    expect(sale.lines.find((line) => line.sku === 'TEA')?.quantity).toBe(3);
    sale = setQuantity(sale, 3, 1, now);
    expect(sale.lines.find((line) => line.sku === 'BUN')?.quantity).toBe(1);
    sale = removeLine(sale, 2, now);
    expect(sale.lines.map((line) => line.sku)).toEqual(['TEA', 'BUN']);
    expect(sale.totals.total).toEqual(cny(1650));
  });

  it('splits a whole-sale discount by largest remainder after the line discounts, and taxes what is left', () => {
    let sale = setLineDiscount(ringUp(), 2, { kind: 'percent', basisPoints: 1000 }, now); // 1800 → 1620
    sale = setSaleDiscount(sale, { kind: 'amount', amountMinor: 100 }, now); // over 450, 1620, 600 = 2670
    expect(sale.lines.map((line) => [line.lineDiscountAmount.amountMinor, line.saleDiscountShare.amountMinor, line.amount.amountMinor])).toEqual([
      [0, 17, 433], // 16.85 → floor 16, remainder .85 largest → 17
      [180, 61, 1559], // 60.67 → 60, .67 → 61
      [0, 22, 578], // 22.47 → 22
    ]);
    expect(sale.totals.discount).toEqual(cny(280));
    expect(sale.totals.total).toEqual(cny(2570));
    expect(sale.lines.map((line) => line.vat.amountMinor)).toEqual([50, 179, 48]);
  });

  it('works the example of docs/sales.md through: three rates, a line discount and a whole-sale one', () => {
    let sale = addItem(fresh(), product('COF', 1850, 1300), 2, now);
    sale = addItem(sale, product('BAO', 350, 900), 3, now);
    sale = addItem(sale, product('MLK', 699, 600), 1, now);
    sale = setLineDiscount(sale, 1, { kind: 'percent', basisPoints: 1000 }, now);
    sale = setSaleDiscount(sale, { kind: 'amount', amountMinor: 500 }, now);
    expect(sale.lines.map((line) => [line.gross.amountMinor, line.lineDiscountAmount.amountMinor, line.saleDiscountShare.amountMinor, line.amount.amountMinor, line.vat.amountMinor])).toEqual([
      [3700, 370, 328, 3002, 345],
      [1050, 0, 103, 947, 78],
      [699, 0, 69, 630, 36],
    ]);
    expect([sale.totals.subtotal, sale.totals.discount, sale.totals.total, sale.totals.vat]).toEqual([cny(5449), cny(870), cny(4579), cny(459)]);
  });

  it('a percent whole-sale discount is rounded half up on the amount after line discounts', () => {
    const sale = setSaleDiscount(ringUp(), { kind: 'percent', basisPoints: 333 }, now); // 3.33 % of 2850 = 94.905 → 95
    expect(sale.totals.discount).toEqual(cny(95));
    expect(sale.lines.reduce((sum, line) => sum + line.saleDiscountShare.amountMinor, 0)).toBe(95);
  });

  it('refuses a discount above the line or the sale, a bad quantity, and an item no longer sold', () => {
    expect(() => setLineDiscount(ringUp(), 1, { kind: 'amount', amountMinor: 451 }, now)).toThrow(/more than the line 1's amount \(4.50 CNY\)/);
    expect(() => setSaleDiscount(ringUp(), { kind: 'amount', amountMinor: 2851 }, now)).toThrow(/more than the sale's amount/);
    expect(() => setQuantity(ringUp(), 1, 0, now)).toThrow(/quantity is a whole number from 1 to 999/);
    expect(() => addItem(fresh(), TEA, 1.5, now)).toThrow(SaleError);
    expect(() => addItem(fresh(), product('OLD', 100, 1300, false), 1, now)).toThrow(/no longer sold/);
    expect(() => removeLine(ringUp(), 9, now)).toThrow(/no line 9/);
  });

  it('overrides a price, keeping the catalog price beside it', () => {
    const sale = overridePrice(ringUp(), 1, cny(400), now);
    expect(sale.lines[0]).toMatchObject({ unitPrice: cny(400), catalogUnitPrice: cny(450), amount: cny(400) });
    // A second item of the same SKU starts a new line at the catalog price.
    expect(addItem(sale, TEA, 1, now).lines.filter((line) => line.sku === 'TEA')).toHaveLength(2);
  });
});

describe('tenders', () => {
  it('cash: pays the amount, keeps what was handed over and the change, and the sale is paid', () => {
    let sale = startTender(ringUp(), { id: 1, type: 'cash', entryMode: 'cash', amountMinor: 2850, receivedMinor: 5000 }, now);
    expect(sale.status).toBe('tendering');
    expect(sale.tenders[0]).toMatchObject({ state: 'in_progress', received: cny(5000), change: cny(2150) });
    sale = applySaleEvent(updateTender(sale, 1, 'approve', now), 'tender_ended', now);
    expect(sale).toMatchObject({ status: 'paid', paid: cny(2850), due: cny(0), paidAt: now.toISOString() });
  });

  it('split: part cash, then a card declined, then a card approved; tendering until all of it is paid', () => {
    let sale = startTender(ringUp(), { id: 1, type: 'cash', amountMinor: 1000, receivedMinor: 1000 }, now);
    sale = applySaleEvent(updateTender(sale, 1, 'approve', now), 'tender_ended', now);
    expect(sale).toMatchObject({ status: 'tendering', paid: cny(1000), due: cny(1850) });
    sale = startTender(sale, { id: 2, type: 'card', amountMinor: 1850 }, now);
    sale = applySaleEvent(updateTender(sale, 2, 'decline', now), 'tender_ended', now);
    expect(sale).toMatchObject({ status: 'tendering', due: cny(1850) });
    // Partly paid: the items cannot change any more.
    expect(() => addItem(sale, TEA, 1, now)).toThrow(/already holds money/);
    sale = startTender(sale, { id: 3, type: 'card', amountMinor: 1850 }, now);
    sale = applySaleEvent(updateTender(sale, 3, 'approve', now, { card: { maskedPan: '621234******1232', scheme: 'unionpay', rrn: '633819000001' } }), 'tender_ended', now);
    expect(sale.status).toBe('paid');
  });

  it('refuses a cash tender below its amount, a tender above what is due, a second tender at once, and a sale with no items', () => {
    expect(() => startTender(ringUp(), { id: 1, type: 'cash', amountMinor: 2850, receivedMinor: 2000 }, now)).toThrow(/handed over 20.00 CNY, less than the 28.50 CNY to pay in cash/);
    expect(() => startTender(ringUp(), { id: 1, type: 'card', amountMinor: 2851 }, now)).toThrow(/only 28.50 CNY is due/);
    expect(() => startTender(ringUp(), { id: 1, type: 'card', amountMinor: -5 }, now)).toThrow(/more than zero/);
    expect(() => startTender(ringUp(), { id: 1, type: 'card', amountMinor: 10.5 }, now)).toThrow(/whole number of fen/);
    const running = startTender(ringUp(), { id: 1, type: 'card', amountMinor: 100 }, now);
    expect(() => startTender(running, { id: 2, type: 'cash', amountMinor: 100 }, now)).toThrow(/already in progress/);
    expect(() => startTender(fresh(), { id: 1, type: 'cash', amountMinor: 100 }, now)).toThrow(/no items/);
  });

  it('a tendering sale that holds nothing reopens when the cashier changes an item', () => {
    let sale = startTender(ringUp(), { id: 1, type: 'card', amountMinor: 2850 }, now);
    sale = applySaleEvent(updateTender(sale, 1, 'decline', now), 'tender_ended', now);
    sale = addItem(sale, TEA, 1, now);
    expect(sale.status).toBe('open');
    expect(sale.totals.total).toEqual(cny(3300));
  });
});

describe('after payment', () => {
  function paidByCashAndCard(): Sale {
    let sale = startTender(ringUp(), { id: 1, type: 'cash', amountMinor: 850, receivedMinor: 1000 }, now);
    sale = applySaleEvent(updateTender(sale, 1, 'approve', now), 'tender_ended', now);
    sale = startTender(sale, { id: 2, type: 'card', amountMinor: 2000 }, now);
    return applySaleEvent(updateTender(sale, 2, 'approve', now), 'tender_ended', now);
  }

  it('refunds per tender, never more than is left on the tender', () => {
    let sale = recordRefund(paidByCashAndCard(), 2, 500, now);
    expect(sale).toMatchObject({ status: 'partly_refunded', refunded: cny(500) });
    expect(() => recordRefund(sale, 1, 851, now)).toThrow(/at most 8.50 CNY is left to refund on this cash tender/);
    expect(() => recordRefund(sale, 2, 1501, now)).toThrow(/at most 15.00 CNY/);
    sale = recordRefund(sale, 1, 850, now);
    sale = recordRefund(sale, 2, 1500, now);
    expect(sale.status).toBe('refunded');
  });

  it('voids tender by tender: the sale is voided once every tender is given back or on its way back, and a refused card void takes it back to paid', () => {
    let sale = updateTender(paidByCashAndCard(), 1, 'request_void', now);
    sale = updateTender(sale, 1, 'confirm_void', now);
    expect(() => applySaleEvent(sale, 'void', now)).toThrow(/every tender given back/);
    sale = applySaleEvent(updateTender(sale, 2, 'request_void', now), 'void', now);
    expect(sale.status).toBe('voided');
    const refused = applySaleEvent(updateTender(sale, 2, 'refuse_void', now), 'void_refused', now);
    expect(refused).toMatchObject({ status: 'paid', paid: cny(2000) });
    expect(() => updateTender(recordRefund(paidByCashAndCard(), 2, 100, now), 2, 'request_void', now)).toThrow(/no refunds of it/);
  });
});
