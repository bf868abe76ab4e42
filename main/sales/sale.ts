/**
 * The Sale aggregate: pure functions from a sale (plain data, common/sale/model.ts) and a command to
 * the next sale, or a SaleError. No I/O, no clock, no ids made here: the caller supplies them, the
 * journal stores the result and derives the domain events from the difference (journal/sale-events.ts).
 *
 * The rules it keeps:
 *  - lines change only while the sale is open (a tendering sale that holds no money reopens first);
 *  - prices, discounts and VAT are recomputed by pricing.ts on every change;
 *  - a tender pays at most what is due; cash must cover the amount it pays (the rest is change);
 *  - one tender runs at a time;
 *  - the status moves only along the table in sale-status.ts, each tender along tender-state.ts.
 */
import type { Product } from '../../common/catalog.ts';
import { money, type CurrencyCode, type Money } from '../../common/money.ts';
import type { Discount, EntryMode, Sale, SaleLine, Tender, TenderType } from '../../common/sale/model.ts';
import { priceLines, type LineInput } from './pricing.ts';
import { amountText, notFound, rejected } from './sale-error.ts';
import { saleStatusMachine, type SaleEvent, type SaleStatusContext } from './sale-status.ts';
import { holdsMoney, tenderStateMachine, type TenderEvent } from './tender-state.ts';

export const MAX_LINES = 200;
export const MAX_QUANTITY = 999;

export interface NewSale {
  readonly id: string;
  readonly stationId: string;
  readonly receiptNumber: string;
  readonly currency: CurrencyCode;
  readonly cashierId?: string;
  readonly shiftId?: number;
  readonly now: Date;
}

export function openSale(init: NewSale): Sale {
  const zero = money(0, init.currency);
  const at = init.now.toISOString();
  return {
    id: init.id,
    stationId: init.stationId,
    receiptNumber: init.receiptNumber,
    status: 'open',
    currency: init.currency,
    openedAt: at,
    updatedAt: at,
    ...(init.cashierId === undefined ? {} : { cashierId: init.cashierId }),
    ...(init.shiftId === undefined ? {} : { shiftId: init.shiftId }),
    lines: [],
    totals: { subtotal: zero, discount: zero, total: zero, vat: zero, vatByRate: [] },
    tenders: [],
    paid: zero,
    due: zero,
    refunded: zero,
    legacy: false,
  };
}

/** What the status guards see. */
export function statusContext(sale: Sale): SaleStatusContext {
  return {
    totalMinor: sale.totals.total.amountMinor,
    paidMinor: paidMinor(sale),
    refundedMinor: sale.tenders.reduce((sum, tender) => sum + tender.refunded.amountMinor, 0),
    tenderInProgress: sale.tenders.some((tender) => tender.state === 'in_progress'),
    holdsMoney: sale.tenders.some((tender) => holdsMoney(tender.state)),
  };
}

/** Moves the sale's status by `event`, or throws IllegalTransitionError. */
export function applySaleEvent(sale: Sale, event: SaleEvent, now: Date): Sale {
  const status = saleStatusMachine.next(sale.status, event, statusContext(sale));
  const at = now.toISOString();
  return settle({ ...sale, status, updatedAt: at, ...(status === 'paid' && sale.paidAt === undefined ? { paidAt: at } : {}) });
}

export function addItem(sale: Sale, product: Product, quantity: number, now: Date): Sale {
  if (!product.active) throw rejected(`${product.sku} is no longer sold`);
  checkQuantity(quantity);
  const editable = forEditing(sale, now);
  const same = editable.lines.find((line) => line.sku === product.sku && line.catalogUnitPrice === undefined && line.lineDiscount === undefined);
  if (same) return setQuantity(editable, same.lineNo, same.quantity + quantity, now);
  if (editable.lines.length >= MAX_LINES) throw rejected(`a sale holds at most ${MAX_LINES} lines`);
  const lineNo = Math.max(0, ...editable.lines.map((line) => line.lineNo)) + 1;
  const input: LineInput = { lineNo, sku: product.sku, name: product.name, quantity, unitPrice: product.price, vatRateBp: product.vatRateBp };
  return reprice(editable, [...editable.lines.map(toInput), input], editable.saleDiscount, now);
}

export function setQuantity(sale: Sale, lineNo: number, quantity: number, now: Date): Sale {
  checkQuantity(quantity);
  return changeLine(sale, lineNo, now, (line) => ({ ...line, quantity }));
}

export function removeLine(sale: Sale, lineNo: number, now: Date): Sale {
  const editable = forEditing(sale, now);
  lineOf(editable, lineNo);
  return reprice(editable, editable.lines.filter((line) => line.lineNo !== lineNo).map(toInput), editable.saleDiscount, now);
}

export function setLineDiscount(sale: Sale, lineNo: number, discount: Discount | undefined, now: Date): Sale {
  return changeLine(sale, lineNo, now, (line) => {
    const { lineDiscount: _dropped, ...rest } = line;
    return discount === undefined ? rest : { ...rest, lineDiscount: discount };
  });
}

/** A supervisor's price for the line (the caller checks the approval). */
export function overridePrice(sale: Sale, lineNo: number, unitPrice: Money, now: Date): Sale {
  if (unitPrice.currency !== sale.currency) throw rejected(`the price must be in ${sale.currency}`);
  return changeLine(sale, lineNo, now, (line) => ({ ...line, unitPrice, catalogUnitPrice: line.catalogUnitPrice ?? line.unitPrice }));
}

export function setSaleDiscount(sale: Sale, discount: Discount | undefined, now: Date): Sale {
  const editable = forEditing(sale, now);
  return reprice(editable, editable.lines.map(toInput), discount, now);
}

export interface NewTender {
  readonly id: number;
  readonly type: TenderType;
  readonly entryMode?: EntryMode;
  readonly amountMinor: number;
  /** Cash: what the customer hands over. */
  readonly receivedMinor?: number;
}

export function startTender(sale: Sale, tender: NewTender, now: Date): Sale {
  const due = sale.due.amountMinor;
  if (sale.lines.length === 0 && !sale.legacy) throw rejected('the sale has no items');
  if (sale.tenders.some((existing) => existing.state === 'in_progress')) throw rejected('a tender is already in progress: finish or cancel it first');
  checkAmount(tender.amountMinor, 'the amount');
  if (tender.amountMinor > due) throw rejected(`only ${amountText(due, sale.currency)} is due: a tender cannot pay ${amountText(tender.amountMinor, sale.currency)}`);
  let cash: Pick<Tender, 'received' | 'change'> = {};
  if (tender.type === 'cash') {
    const received = tender.receivedMinor ?? tender.amountMinor;
    checkAmount(received, 'the cash received');
    if (received < tender.amountMinor) {
      throw rejected(`the customer handed over ${amountText(received, sale.currency)}, less than the ${amountText(tender.amountMinor, sale.currency)} to pay in cash: take more, or pay the rest another way`);
    }
    cash = { received: money(received, sale.currency), change: money(received - tender.amountMinor, sale.currency) };
  }
  const added: Tender = {
    id: tender.id,
    type: tender.type,
    ...(tender.entryMode ? { entryMode: tender.entryMode } : {}),
    state: 'in_progress',
    amount: money(tender.amountMinor, sale.currency),
    ...cash,
    refunded: money(0, sale.currency),
    legs: [],
  };
  const started = applySaleEvent(sale, 'start_tender', now);
  return settle({ ...started, tenders: [...started.tenders, added] });
}

/** Moves one tender along its machine; `patch` records what the flow learnt (the card, the entry mode). */
export function updateTender(sale: Sale, tenderId: number, event: TenderEvent, now: Date, patch: Partial<Pick<Tender, 'card' | 'qr' | 'entryMode'>> = {}): Sale {
  const tender = tenderOf(sale, tenderId);
  const state = tenderStateMachine.next(tender.state, event, { refundedMinor: tender.refunded.amountMinor });
  return replaceTender(sale, { ...tender, ...patch, state }, now);
}

/** Records a refund of part or all of what a tender paid (the caller gave the money back). */
export function recordRefund(sale: Sale, tenderId: number, amountMinor: number, now: Date): Sale {
  const tender = tenderOf(sale, tenderId);
  const left = refundableMinor(tender);
  checkAmount(amountMinor, 'the refund');
  if (amountMinor > left) throw rejected(`at most ${amountText(left, sale.currency)} is left to refund on this ${tender.type} tender`);
  const refunded = replaceTender(sale, { ...tender, refunded: money(tender.refunded.amountMinor + amountMinor, sale.currency) }, now);
  return applySaleEvent(refunded, 'refund', now);
}

export function refundableMinor(tender: Tender): number {
  return tender.state === 'approved' ? tender.amount.amountMinor - tender.refunded.amountMinor : 0;
}

export function tenderOf(sale: Sale, tenderId: number): Tender {
  const tender = sale.tenders.find((candidate) => candidate.id === tenderId);
  if (!tender) throw notFound(`sale ${sale.receiptNumber} has no tender ${tenderId}`);
  return tender;
}

export function paidMinor(sale: Pick<Sale, 'tenders'>): number {
  return sale.tenders.filter((tender) => holdsMoney(tender.state)).reduce((sum, tender) => sum + tender.amount.amountMinor, 0);
}

function replaceTender(sale: Sale, tender: Tender, now: Date): Sale {
  return settle({ ...sale, updatedAt: now.toISOString(), tenders: sale.tenders.map((existing) => (existing.id === tender.id ? tender : existing)) });
}

/** Recomputes paid, due and refunded from the tenders. */
function settle(sale: Sale): Sale {
  const paid = paidMinor(sale);
  const refunded = sale.tenders.reduce((sum, tender) => sum + tender.refunded.amountMinor, 0);
  return { ...sale, paid: money(paid, sale.currency), due: money(Math.max(0, sale.totals.total.amountMinor - paid), sale.currency), refunded: money(refunded, sale.currency) };
}

/** Lines change only while open; a tendering sale that holds no money goes back to open first. */
function forEditing(sale: Sale, now: Date): Sale {
  if (sale.status === 'open') return sale;
  if (sale.status === 'tendering' && saleStatusMachine.can('tendering', 'reopen', statusContext(sale))) return applySaleEvent(sale, 'reopen', now);
  if (sale.status === 'tendering' && sale.tenders.some((tender) => tender.state === 'in_progress')) throw rejected('a payment is in progress: finish or cancel it first');
  if (sale.status === 'tendering') throw rejected('a tender already holds money for this sale: finish paying it, or cancel the sale');
  throw rejected(`sale ${sale.receiptNumber} is ${sale.status.replace('_', ' ')}: its items cannot change`);
}

function changeLine(sale: Sale, lineNo: number, now: Date, change: (line: LineInput) => LineInput): Sale {
  const editable = forEditing(sale, now);
  lineOf(editable, lineNo);
  return reprice(editable, editable.lines.map((line) => (line.lineNo === lineNo ? change(toInput(line)) : toInput(line))), editable.saleDiscount, now);
}

function reprice(sale: Sale, inputs: readonly LineInput[], saleDiscount: Discount | undefined, now: Date): Sale {
  const { lines, totals } = priceLines(inputs, saleDiscount, sale.currency);
  const { saleDiscount: _old, ...rest } = sale;
  return settle({ ...rest, ...(saleDiscount ? { saleDiscount } : {}), lines, totals, updatedAt: now.toISOString() });
}

function toInput(line: SaleLine): LineInput {
  return {
    lineNo: line.lineNo,
    sku: line.sku,
    name: line.name,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    ...(line.catalogUnitPrice ? { catalogUnitPrice: line.catalogUnitPrice } : {}),
    ...(line.lineDiscount ? { lineDiscount: line.lineDiscount } : {}),
    vatRateBp: line.vatRateBp,
  };
}

function lineOf(sale: Sale, lineNo: number): SaleLine {
  const line = sale.lines.find((candidate) => candidate.lineNo === lineNo);
  if (!line) throw notFound(`sale ${sale.receiptNumber} has no line ${lineNo}`);
  return line;
}

function checkQuantity(quantity: number): void {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) throw rejected(`a quantity is a whole number from 1 to ${MAX_QUANTITY}, not ${quantity}`);
}

function checkAmount(amountMinor: number, what: string): void {
  if (!Number.isSafeInteger(amountMinor)) throw rejected(`${what} must be a whole number of fen, not ${amountMinor}`);
  if (amountMinor <= 0) throw rejected(`${what} must be more than zero, not ${amountMinor}`);
}

