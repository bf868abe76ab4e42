/**
 * Reversals of journaled purchases and refunds: a timeout reversal (reason 68) when a request got no
 * answer, and a void (17) the cashier asks for. Queuing one is a single journal transaction: the
 * reversal's own row, the original marked "reversal pending" and the 0400 in the store-and-forward
 * queue. The host's 0410 settles both rows:
 *
 *   0410 00   → reversal approved; the original is reversed (68) or voided (17), its PAN forgotten.
 *   0410 else → reversal declined. A refused void leaves the sale standing (approved again). A
 *               refused timeout reversal leaves the transaction failed: the station does not count
 *               it, and if the host still does, settlement finds the difference and the batch
 *               upload makes the host adopt the station's record.
 */
import type { ReversalReason } from '../../common/journal.ts';
import type { CardLegRow } from '../journal/card-leg-row.ts';
import type { Journal } from '../journal/journal.ts';
import type { SafItem } from '../journal/saf-table.ts';
import { transmissionDateTime } from './message-clock.ts';
import { REVERSAL_MTI, reversalFields } from './reversal-message.ts';

export interface ReversalsOptions {
  readonly journal: Journal;
  /** DE42 for rows carried over from journal v1. */
  readonly merchantId: string;
  readonly now: () => Date;
  readonly log: (line: string) => void;
  /** The queue has a new item to send. */
  readonly onQueued: () => void;
}

export class Reversals {
  readonly #options: ReversalsOptions;

  constructor(options: ReversalsOptions) {
    this.#options = options;
  }

  /** Queues the 0400 for a pending (no answer) or approved (void) purchase or refund; returns the reversal's row id. */
  queue(originalId: number, reason: ReversalReason): number {
    const { journal, merchantId, now } = this.#options;
    return journal.atomically(() => {
      const original = journal.legs.row(originalId);
      if (original === undefined || (original.kind !== 'purchase' && original.kind !== 'refund')) throw new Error(`card leg ${originalId} is not a purchase or refund`);
      const id = journal.legs.record({
        tenderId: original.tenderId,
        kind: 'reversal',
        mti: REVERSAL_MTI,
        amount: original.amount,
        maskedPan: original.maskedPan,
        scheme: original.scheme,
        entryMode: original.entryMode,
        terminalId: original.terminalId,
        merchantId: original.merchantId ?? merchantId,
        processingCode: original.processingCode,
        stan: original.stan,
        transmittedAt: transmissionDateTime(now()),
        localTime: original.localTime,
        localDate: original.localDate,
        originalId,
        reversalReason: reason,
      });
      journal.legs.transition(originalId, ['pending', 'approved'], 'reversal_pending');
      journal.saf.enqueue(id, REVERSAL_MTI, reversalFields(original, reason, merchantId));
      // Only once it is on disk may the queue send it.
      journal.uow.afterCommit(() => this.#options.onQueued());
      return id;
    });
  }

  /** Records a 0410; called by the store-and-forward queue inside its journal transaction. */
  answered(item: SafItem, responseCode: string | undefined): void {
    const { journal, log } = this.#options;
    const reversal = journal.legs.row(item.legId);
    const original = reversal?.originalId === undefined ? undefined : journal.legs.row(reversal.originalId);
    if (reversal === undefined || original === undefined) throw new Error(`queued item ${item.id} names no reversal of a journaled transaction`);
    const approved = responseCode === '00';
    journal.legs.complete(reversal.id, { status: approved ? 'approved' : 'declined', ...(responseCode === undefined ? {} : { responseCode }) });
    const outcome = outcomeOf(original, reversal.reversalReason, approved);
    journal.legs.transition(original.id, ['reversal_pending'], outcome);
    if (!approved) log(`reversal of ${original.kind} ${original.id} (STAN ${original.stan}) refused by the host: DE39 ${responseCode ?? '-'}`);
  }

  /**
   * At start-up: a purchase or refund a crash left pending may or may not have reached the host, so
   * it is reversed like a timeout. A balance inquiry moves no money; it is only marked failed.
   */
  recoverInterrupted(): void {
    const { journal, log } = this.#options;
    for (const row of journal.legs.pending()) {
      log(`journal: ${row.kind} ${row.id} (STAN ${row.stan}, ${row.maskedPan}) was interrupted before the host answered`);
      if (row.kind === 'balance_inquiry') {
        journal.legs.complete(row.id, { status: 'failed' });
      } else {
        this.queue(row.id, '68');
      }
    }
  }
}

function outcomeOf(original: CardLegRow, reason: ReversalReason | undefined, approved: boolean): CardLegRow['status'] {
  if (approved) return reason === '17' ? 'voided' : 'reversed';
  // A refused void leaves the transaction as it was; a refused timeout reversal leaves it failed.
  return reason === '17' && original.rrn !== undefined ? 'approved' : 'failed';
}
