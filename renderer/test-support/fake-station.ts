/**
 * A fake station for component tests: a cashier signed in with a shift open, and a current sale kept
 * the way the station keeps it (lines priced from the catalog, VAT per line), enough for the screen
 * to be driven by clicks. The sale rules themselves are tested where they live, in main/sales/.
 */
import type { Product } from '../../common/catalog.ts';
import type { CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import { fail, ok } from '../../common/ipc/result.ts';
import { money } from '../../common/money.ts';
import type { Sale, SaleLine } from '../../common/sale/model.ts';
import type { SessionState } from '../../common/shift.ts';
import { vatOfInclusive } from '../../common/sale/vat.ts';
import { catalog, devices, linkStatus, stationInfo } from './fixtures.ts';
import type { Handlers } from './memory-api.ts';

export const SIGNED_IN: SessionState = {
  operator: { id: '1001', name: 'Li Na', role: 'cashier' },
  shift: { id: 1, status: 'open', openedBy: '1001', openedAt: '2026-11-21T01:00:00.000Z', float: money(20_000, 'CNY') },
};

const cny = (amountMinor: number) => money(amountMinor, 'CNY');

/** The catalog a fake station sells from, or how to read it now (a test that imports items meanwhile). */
export type FakeCatalog = readonly Product[] | (() => readonly Product[]);

/** A sale of these lines (SKU → quantity), priced from the test catalog (or the one given). */
export function saleOf(quantities: readonly (readonly [string, number])[], extra: Partial<Sale> = {}, products: readonly Product[] = catalog): Sale {
  const lines: SaleLine[] = quantities.map(([sku, quantity], index) => {
    const product = products.find((candidate) => candidate.sku === sku)!;
    const amount = product.price.amountMinor * quantity;
    return {
      lineNo: index + 1,
      sku,
      name: product.name,
      quantity,
      unitPrice: product.price,
      vatRateBp: product.vatRateBp,
      gross: cny(amount),
      lineDiscountAmount: cny(0),
      saleDiscountShare: cny(0),
      amount: cny(amount),
      vat: cny(vatOfInclusive(amount, product.vatRateBp)),
    };
  });
  const total = lines.reduce((sum, line) => sum + line.amount.amountMinor, 0);
  const rates = [...new Set(lines.map((line) => line.vatRateBp))].sort((a, b) => b - a);
  return {
    id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    stationId: 'T0000001',
    receiptNumber: '000042',
    status: 'open',
    currency: 'CNY',
    openedAt: '2026-11-21T02:00:00.000Z',
    updatedAt: '2026-11-21T02:00:00.000Z',
    lines,
    totals: {
      subtotal: cny(total),
      discount: cny(0),
      total: cny(total),
      vat: cny(lines.reduce((sum, line) => sum + line.vat.amountMinor, 0)),
      vatByRate: rates.map((rateBp) => {
        const at = lines.filter((line) => line.vatRateBp === rateBp);
        return { rateBp, amount: cny(at.reduce((sum, line) => sum + line.amount.amountMinor, 0)), vat: cny(at.reduce((sum, line) => sum + line.vat.amountMinor, 0)) };
      }),
    },
    tenders: [],
    paid: cny(0),
    due: cny(total),
    refunded: cny(0),
    legacy: false,
    ...extra,
  };
}

/** Handlers for a station with a cashier signed in, a shift open and a sale rung up by addItem. */
export function fakeStation(session: SessionState = SIGNED_IN, products: FakeCatalog = catalog): Handlers<CheckoutContract> {
  const list = () => (typeof products === 'function' ? products() : products);
  let quantities: [string, number][] = [];
  const current = () => saleOf(quantities, {}, list());
  return {
    getStationInfo: () => ok(stationInfo),
    listCatalog: () => ok([...list()]),
    listDevices: () => ok(devices),
    getLinkStatus: () => ok(linkStatus),
    getSession: () => ok(session),
    getCurrentSale: () => ok(quantities.length > 0 ? { sale: current() } : {}),
    listSales: () => ok({ sales: [] }),
    addItem: ({ sku, quantity }) => {
      if (!list().some((product) => product.sku === sku)) return fail('not_found', `no product with SKU ${sku} is for sale`);
      const line = quantities.find(([candidate]) => candidate === sku);
      if (line) line[1] += quantity;
      else quantities.push([sku, quantity]);
      return ok(current());
    },
    setLineQuantity: ({ lineNo, quantity }) => {
      quantities[lineNo - 1]![1] = quantity;
      return ok(current());
    },
    removeLine: ({ lineNo }) => {
      quantities = quantities.filter((_line, index) => index !== lineNo - 1);
      return ok(current());
    },
    startCardTender: () => ok({ paymentId: 'pay-1', saleId: current().id, tenderId: 1 }),
    startCashTender: () => ok({ paymentId: 'pay-1', saleId: current().id, tenderId: 1 }),
    startQrTender: () => ok({ paymentId: 'pay-1', saleId: current().id, tenderId: 1 }),
    cancelPayment: () => ok({ cancelled: true }),
    cancelSale: () => {
      const sale = { ...current(), status: 'cancelled' as const };
      quantities = [];
      return ok({ sale, tenders: [] });
    },
  };
}
