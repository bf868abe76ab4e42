/**
 * How each tender type gives money back, registered by type like the payment flows (a QR tender
 * registers its own): voiding a whole tender (a sale voided, or a partly paid sale cancelled) and
 * refunding part of one.
 *
 *  cash  void: handed back at once (the drawer opens); refund: the same, for the amount.
 *  card  void: a 0400 reason 17 of the approved purchase leg, queued in the same unit of work (the
 *        tender is void_pending until the host's 0410, voided then); only in the open batch, the
 *        host refuses a void of a settled one. refund: a 0200 refund referencing the leg's RRN, with
 *        the card presented again (the host needs it): a flow of its own (tender-service.ts).
 */
import type { Sale, Tender, TenderType } from '../../common/sale/model.ts';
import type { CardLegRow } from '../journal/card-leg-row.ts';
import type { Journal } from '../journal/journal.ts';
import { updateTender } from '../sales/sale.ts';
import { rejected } from '../sales/sale-error.ts';
import type { DrawerPort, ReversalPort } from './ports.ts';

/** What became of a tender given back, as the cashier is told it. */
export type TenderFate = 'returned_cash' | 'void_pending' | 'voided';

export interface VoidResult {
  readonly sale: Sale;
  readonly fate: TenderFate;
  /** Work to do once the unit of work has committed (open the drawer). */
  readonly afterCommit?: () => Promise<void>;
}

export interface TenderUndo {
  /** Gives the whole tender back; runs inside the caller's unit of work. */
  void(sale: Sale, tender: Tender, now: Date): VoidResult;
}

export class TenderUndoRegistry {
  readonly #handlers = new Map<TenderType, TenderUndo>();

  register(type: TenderType, handler: TenderUndo): void {
    this.#handlers.set(type, handler);
  }

  for(type: TenderType): TenderUndo {
    const handler = this.#handlers.get(type);
    if (!handler) throw rejected(`a ${type} tender cannot be given back here`);
    return handler;
  }
}

export function cashUndo(drawer: DrawerPort): TenderUndo {
  return {
    void(sale, tender, now) {
      const given = updateTender(updateTender(sale, tender.id, 'request_void', now), tender.id, 'confirm_void', now);
      return { sale: given, fate: 'returned_cash', afterCommit: () => drawer.kick('cash_refund') };
    },
  };
}

export function cardUndo(journal: Journal, reversals: ReversalPort): TenderUndo {
  return {
    void(sale, tender, now) {
      const leg = approvedPurchaseLeg(journal, tender);
      if (leg.batchId !== journal.batches.open().id) throw rejected(`the card payment of sale ${sale.receiptNumber} is in a settled batch: refund it instead`);
      reversals.queue(leg.id, '17');
      return { sale: updateTender(sale, tender.id, 'request_void', now), fate: 'void_pending' };
    },
  };
}

/** The approved purchase leg of a card tender: what a void reverses and a refund references. */
export function approvedPurchaseLeg(journal: Journal, tender: Tender): CardLegRow {
  const leg = journal.legs.ofTender(tender.id).find((candidate) => candidate.kind === 'purchase' && candidate.status === 'approved' && candidate.rrn !== undefined);
  if (!leg) throw rejected(`tender ${tender.id} has no approved card payment`);
  return leg;
}
