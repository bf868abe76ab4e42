/**
 * Keeps the totals (totals.ts) from the domain events, inside the emitting transaction: a report is
 * then a read of a few rows. The rules, one per event:
 *
 *  card_leg.status_changed   a purchase/refund leg entering `approved` adds to the batch's debits/
 *                            credits by scheme, leaving it takes away; entering `voided` counts a void.
 *  tender.state_changed      a card tender's outcome counts in the open batch by state (a PIN retry
 *                            is an attempt of the tender, never a declined sale); a tender entering
 *                            `approved` adds to the open shift by type (and scheme), leaving it takes away.
 *  sale.status_changed       paid adds the sale and its VAT by rate to the shift; voided takes them
 *                            away and counts a void (a refused void puts them back); cancelled counts.
 *  tender.refunded           the shift's refunds by tender type, and their VAT by rate.
 *  shift.cash_moved          paid in, paid out, no-sale opens.
 *
 * Refunds and voids count in the shift open when they happen, whichever shift made the sale: that is
 * the drawer the cash comes out of.
 */
import type { DomainEvent, SaleHead } from '../../common/sale/events.ts';
import { BATCH_METRICS, SHIFT_METRICS, type Totals } from './totals.ts';

export interface ProjectionScopes {
  readonly openBatchId: () => number;
  readonly openShiftId: () => number | undefined;
  readonly legBatchId: (legId: number) => number | undefined;
}

const COUNTED_SALE = new Set(['paid']);

export function projectTotals(totals: Totals, scopes: ProjectionScopes): (event: DomainEvent) => void {
  const shift = (metric: string, key: string, sign: 1 | -1, amountMinor: number, extraMinor = 0) => {
    const shiftId = scopes.openShiftId();
    if (shiftId !== undefined) totals.add('shift', shiftId, metric, key, sign, sign * amountMinor, sign * extraMinor);
  };
  const saleTotals = (sale: SaleHead, sign: 1 | -1) => {
    shift(SHIFT_METRICS.sales, 'paid', sign, sale.totals.total.amountMinor);
    for (const rate of sale.totals.vatByRate) shift(SHIFT_METRICS.salesVat, String(rate.rateBp), sign, rate.amount.amountMinor, rate.vat.amountMinor);
  };

  return (event) => {
    switch (event.type) {
      case 'card_leg.status_changed': {
        const { leg, from } = event;
        if (leg.kind !== 'purchase' && leg.kind !== 'refund') return;
        const batchId = scopes.legBatchId(leg.id);
        if (batchId === undefined) return;
        const metric = leg.kind === 'purchase' ? BATCH_METRICS.debit : BATCH_METRICS.credit;
        if (from === 'approved') totals.add('batch', batchId, metric, leg.scheme, -1, -leg.amount.amountMinor);
        if (leg.status === 'approved') totals.add('batch', batchId, metric, leg.scheme, 1, leg.amount.amountMinor);
        if (leg.status === 'voided') totals.add('batch', batchId, BATCH_METRICS.void, leg.kind, 1, leg.amount.amountMinor);
        return;
      }
      case 'tender.state_changed': {
        const { tender, from, to } = event;
        const amount = tender.amount.amountMinor;
        if (tender.type === 'card') {
          const batchId = scopes.openBatchId();
          if (from !== 'in_progress') totals.add('batch', batchId, BATCH_METRICS.cardTender, from, -1, -amount);
          totals.add('batch', batchId, BATCH_METRICS.cardTender, to, 1, amount);
        }
        for (const [state, sign] of [[from, -1], [to, 1]] as const) {
          if (state !== 'approved') continue;
          shift(SHIFT_METRICS.tender, tender.type, sign, amount);
          if (tender.card) shift(SHIFT_METRICS.scheme, tender.card.scheme, sign, amount);
        }
        return;
      }
      case 'sale.status_changed': {
        if (COUNTED_SALE.has(event.to) && !COUNTED_SALE.has(event.from)) saleTotals(event.sale, 1);
        if (event.to === 'voided') {
          saleTotals(event.sale, -1);
          shift(SHIFT_METRICS.void, 'sale', 1, event.sale.totals.total.amountMinor);
        }
        if (event.from === 'voided') shift(SHIFT_METRICS.void, 'sale', -1, event.sale.totals.total.amountMinor);
        if (event.to === 'cancelled') shift(SHIFT_METRICS.sales, 'cancelled', 1, event.sale.totals.total.amountMinor);
        if (event.from === 'cancelled') shift(SHIFT_METRICS.sales, 'cancelled', -1, event.sale.totals.total.amountMinor);
        return;
      }
      case 'tender.refunded':
        shift(SHIFT_METRICS.refund, event.tender.type, 1, event.amount.amountMinor);
        for (const rate of event.vatByRate) shift(SHIFT_METRICS.refundVat, String(rate.rateBp), 1, rate.amount.amountMinor, rate.vat.amountMinor);
        return;
      case 'shift.cash_moved':
        totals.add('shift', event.shiftId, SHIFT_METRICS.cash, event.kind, 1, event.amount.amountMinor);
        return;
      default:
        return;
    }
  };
}
