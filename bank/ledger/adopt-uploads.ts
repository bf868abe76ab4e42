/**
 * After an out-of-balance settlement the terminal uploads its batch (0320s) and closes it again
 * (0500 960000): the host then takes the upload as the record of the batch. Every pending
 * transaction of the host's open batch that the upload lacks is reversed; every uploaded one the
 * host holds in this batch on other terms (kind, amount) or as reversed is put back as uploaded,
 * on its own card. An upload carries no card (profile v4), so one whose RRN the host does not hold
 * at all is not adopted: it has no card to charge, and the settlement answer reports it (DE62).
 * Neither is an upload whose RRN belongs to a transaction outside the batch (already settled,
 * another terminal): moving it would settle it twice.
 */
import type { BatchUpload } from './batches.ts';
import type { TransactionRecord, Transactions } from './transactions.ts';

export interface AdoptionSummary {
  readonly reversed: number;
  readonly corrected: number;
  /** RRNs of uploads the host holds no transaction for. */
  readonly notFound: readonly string[];
  /** RRNs of uploads that belong to a transaction outside the batch. */
  readonly conflicts: readonly string[];
}

/** What reversal_reason says of a transaction a settlement reversed (a 0400's is its DE39). */
const SETTLEMENT_REVERSAL_REASON = 'not in the terminal batch upload';

export function adoptUploads(parts: { readonly transactions: Transactions }, batchId: number, uploads: readonly BatchUpload[], at: Date): AdoptionSummary {
  const { transactions } = parts;
  const uploadedRrns = new Set(uploads.map((upload) => upload.rrn));
  let reversed = 0;
  let corrected = 0;
  const notFound: string[] = [];
  const conflicts: string[] = [];

  // Refunds first, so a purchase is never reversed while a refund of it still counts.
  const missing = transactions.pendingInBatch(batchId).filter((transaction) => !uploadedRrns.has(transaction.rrn));
  missing.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'refund' ? -1 : 1));
  for (const transaction of missing) {
    transactions.reverse(transaction, SETTLEMENT_REVERSAL_REASON, at);
    reversed++;
  }

  for (const upload of uploads) {
    const held = transactions.findByRrn(upload.rrn);
    if (held === undefined) {
      notFound.push(upload.rrn);
    } else if (held.batchId !== batchId || held.state === 'posted') {
      conflicts.push(upload.rrn);
    } else if (held.state === 'reversed' || !sameTerms(held, upload)) {
      transactions.reinstate(held, upload, batchId);
      corrected++;
    }
  }
  return { reversed, corrected, notFound, conflicts };
}

function sameTerms(held: TransactionRecord, upload: BatchUpload): boolean {
  return held.kind === upload.kind && held.amountMinor === upload.amountMinor;
}
