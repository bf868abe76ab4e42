/**
 * The domain events of a change to a sale, derived from the sale before and after it. Saving a sale
 * is the only way to change one (sales.ts), so no change can be journaled without its events.
 */
import { money } from '../../common/money.ts';
import type { DomainEvent, SaleHead, SaleSnapshot, TenderSnapshot } from '../../common/sale/events.ts';
import type { Sale, Tender } from '../../common/sale/model.ts';
import { refundVatByRate } from '../sales/pricing.ts';

export function snapshotOf(sale: Sale): SaleSnapshot {
  return { ...sale, tenders: sale.tenders.map(tenderSnapshot) };
}

function headOf(sale: Sale): SaleHead {
  const { lines: _lines, tenders: _tenders, ...head } = sale;
  return head;
}

function tenderSnapshot(tender: Tender): TenderSnapshot {
  const { legs: _legs, ...rest } = tender;
  return rest;
}

export function saleEvents(before: Sale | undefined, after: Sale): DomainEvent[] {
  const at = after.updatedAt;
  const sale = headOf(after);
  const events: DomainEvent[] = [];
  if (before === undefined) events.push({ type: 'sale.opened', at, sale: snapshotOf(after) });
  else if (JSON.stringify([before.lines, before.saleDiscount, before.totals]) !== JSON.stringify([after.lines, after.saleDiscount, after.totals])) {
    events.push({ type: 'sale.changed', at, sale: snapshotOf(after) });
  }
  for (const tender of after.tenders) {
    const was = before?.tenders.find((candidate) => candidate.id === tender.id);
    const snapshot = tenderSnapshot(tender);
    if (was === undefined) events.push({ type: 'tender.started', at, saleId: after.id, tender: snapshot, sale });
    else if (was.state !== tender.state) events.push({ type: 'tender.state_changed', at, saleId: after.id, tender: snapshot, from: was.state, to: tender.state, sale });
    const refunded = tender.refunded.amountMinor - (was?.refunded.amountMinor ?? 0);
    if (refunded > 0) {
      events.push({
        type: 'tender.refunded',
        at,
        saleId: after.id,
        tender: snapshot,
        amount: money(refunded, after.currency),
        vatByRate: refundVatByRate(refunded, after.totals.vatByRate, after.currency),
        sale,
      });
    }
  }
  if (before !== undefined && before.status !== after.status) events.push({ type: 'sale.status_changed', at, sale, from: before.status, to: after.status });
  return events;
}
