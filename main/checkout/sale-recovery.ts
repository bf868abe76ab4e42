/**
 * Keeping sales true to their card legs when the legs move on their own, and after a crash.
 *
 *  - A void's 0410 arrives through the store-and-forward queue, any time later: the reversed leg's
 *    tender becomes voided (00), or approved again if the host refused (its sale back to paid, or
 *    to tendering if the sale had been cancelled): in the same unit of work as the leg's outcome.
 *  - At start-up, after interrupted legs have been queued for reversal (main/acquirer/reversals.ts),
 *    a tender a crash left in progress ends: failed when its request may have reached the host (the
 *    reversal settles that), cancelled when it never got that far. Its sale stays current: partly
 *    paid ones are shown "partly paid — finish or cancel", and no approved leg is ever left outside
 *    a sale that shows it.
 */
import type { DomainEvent } from '../../common/sale/events.ts';
import type { Journal } from '../journal/journal.ts';
import { applySaleEvent, updateTender } from '../sales/sale.ts';

export function reactToVoidOutcomes(journal: Journal, now: () => Date): () => void {
  return journal.uow.handleInTransaction((event: DomainEvent) => {
    if (event.type !== 'card_leg.status_changed' || event.from !== 'reversal_pending' || event.saleId === undefined) return;
    const confirmed = event.leg.status === 'voided';
    const refused = event.leg.status === 'approved';
    if (!confirmed && !refused) return;
    const sale = journal.sales.load(event.saleId);
    const tender = sale?.tenders.find((candidate) => candidate.legs.some((leg) => leg.id === event.leg.id));
    if (!sale || !tender || tender.state !== 'void_pending') return;
    const at = now();
    const moved = updateTender(sale, tender.id, confirmed ? 'confirm_void' : 'refuse_void', at);
    const back = refused && (sale.status === 'voided' || sale.status === 'cancelled') ? applySaleEvent(moved, 'void_refused', at) : moved;
    journal.sales.save(sale, back);
  });
}

/** Ends the tenders a crash left in progress (after the interrupted legs were queued for reversal). */
export function recoverInterruptedTenders(journal: Journal, now: () => Date, log: (line: string) => void): void {
  for (const sale of journal.sales.current()) {
    for (const tender of sale.tenders.filter((candidate) => candidate.state === 'in_progress')) {
      const reached = tender.legs.some((leg) => leg.kind === 'purchase' && leg.status !== 'declined');
      log(`sale ${sale.receiptNumber}: its ${tender.type} tender ${tender.id} was interrupted; ${reached ? 'its request is being reversed' : 'it never reached the host'}`);
      journal.atomically(() => {
        const current = journal.sales.load(sale.id)!;
        const ended = updateTender(current, tender.id, reached ? 'fail' : 'cancel', now());
        journal.sales.save(current, applySaleEvent(ended, 'tender_ended', now()));
      });
    }
  }
}
