/**
 * Builds a station journal of a given size for the station benchmark, through the product's own
 * modules: the Sale aggregate and the journal's sales, card legs, unit of work, outbox and kept
 * totals, exactly as the tender service and the magstripe flow write them, so the file has the same
 * rows, indexes, events and totals a station would have after that many sales. Only the commits are
 * grouped (a few thousand sales per transaction): the build is not what the benchmark measures.
 *
 * The mix: one sale in ten is paid in cash; one card sale in ten has a wrong PIN first (a declined
 * 55 leg, then the approved one); every sale has one or two lines at the four VAT rates. Card legs
 * are what the issue counts as journal rows (the old journal's rows were its card requests).
 */
import { maskPan } from '../common/card/pan.ts';
import type { Product } from '../common/catalog.ts';
import { money } from '../common/money.ts';
import type { Sale } from '../common/sale/model.ts';
import { createUuidV7Generator } from '../common/uuid-v7.ts';
import { PROCESSING_CODES, POS_ENTRY_MODES } from '../payments/iso8583/profile.ts';
import type { Journal } from '../main/journal/journal.ts';
import { addItem, applySaleEvent, openSale, startTender, updateTender } from '../main/sales/sale.ts';

const PAN = '6212345678901232';
const newId = createUuidV7Generator();
let clock = Date.parse('2026-11-21T00:00:00Z');

/** How the builder commits each unit of work of a sale; the default joins the caller's transaction. */
export type Unit = <T>(work: () => T) => T;

/** Writes sales until the open batch holds `legs` more card legs, a few thousand per transaction; answers the sales written. */
export function writeSales(journal: Journal, catalog: readonly Product[], target: { legs: number }, perTransaction = 2_000): number {
  let legs = 0;
  let sales = 0;
  while (legs < target.legs) {
    journal.atomically(() => {
      for (let i = 0; i < perTransaction && legs < target.legs; i++) {
        legs += writeSale(journal, catalog, sales);
        sales += 1;
      }
    });
  }
  return sales;
}

/**
 * One sale, start to end, in the units of work the till commits it in: the sale opened with its
 * first item, a second item, the tender started, each card leg recorded before its request leaves,
 * and the host's answer with the tender's and the sale's outcome. Answers the card legs it added.
 */
export function writeSale(journal: Journal, catalog: readonly Product[], index: number, unit: Unit = (work) => work()): number {
  const now = new Date((clock += 1_000));
  let sale: Sale = unit(() => {
    const shift = journal.shifts.current();
    const opened = openSale({ id: newId(now.getTime()), stationId: 'POS00001', receiptNumber: String(journal.counters.next('receipt', 999_999)).padStart(6, '0'), currency: 'CNY', cashierId: '1001', ...(shift ? { shiftId: shift.id } : {}), now });
    const first = addItem(opened, catalog[index % catalog.length]!, 1 + (index % 3), now);
    journal.sales.save(undefined, first);
    return first;
  });
  if (index % 2 === 0) {
    const before = sale;
    sale = addItem(sale, catalog[(index * 7 + 3) % catalog.length]!, 1, now);
    unit(() => journal.sales.save(before, sale));
  }
  const cash = index % 10 === 9;
  const { started, tenderId } = unit(() => {
    const id = journal.counters.next('tender');
    const tender = cash ? { type: 'cash' as const, entryMode: 'cash' as const, receivedMinor: sale.due.amountMinor } : { type: 'card' as const, entryMode: 'magstripe' as const };
    const next = startTender(sale, { id, ...tender, amountMinor: sale.due.amountMinor }, now);
    journal.sales.save(sale, next);
    return { started: next, tenderId: id };
  });
  if (cash) {
    unit(() => journal.sales.save(started, applySaleEvent(updateTender(started, tenderId, 'approve', now), 'tender_ended', now)));
    return 0;
  }
  const attempts = index % 20 === 0 ? 2 : 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const stan = unit(() => String(journal.counters.next('stan', 999_999)).padStart(6, '0'));
    const leg = unit(() =>
      journal.legs.record({
        tenderId,
        attempt,
        kind: 'purchase',
        mti: '0200',
        amount: money(sale.due.amountMinor, 'CNY'),
        maskedPan: maskPan(PAN),
        scheme: 'unionpay',
        entryMode: POS_ENTRY_MODES.magstripeWithPin,
        terminalId: 'POS00001',
        merchantId: '898310048160001',
        processingCode: PROCESSING_CODES.purchase,
        stan,
        transmittedAt: '1121101530',
        localTime: '181530',
        localDate: '1121',
      }),
    );
    if (attempt < attempts) {
      unit(() => journal.legs.complete(leg, { status: 'declined', responseCode: '55' }));
      continue;
    }
    const rrn = `6325${String(index).padStart(8, '0')}`;
    unit(() => {
      journal.legs.complete(leg, { status: 'approved', responseCode: '00', approvalCode: '123456', rrn });
      const card = { maskedPan: maskPan(PAN), scheme: 'unionpay' as const, approvalCode: '123456', rrn, stan, responseCode: '00' };
      journal.sales.save(started, applySaleEvent(updateTender(started, tenderId, 'approve', now, { card }), 'tender_ended', now));
    });
  }
  return attempts;
}
