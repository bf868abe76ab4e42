/**
 * After an out-of-balance settlement the terminal uploads its batch (0320s) and closes it again
 * (0500 960000): the host then takes the upload as the record of the batch. Every pending
 * transaction of the host's open batch that the upload lacks is reversed; every uploaded one the
 * batch lacks, or holds on other terms or as reversed, is recorded or put back as uploaded. An
 * upload whose RRN belongs to a transaction outside the batch (already settled, another terminal)
 * is left out: moving it would settle it twice.
 */
import type { Accounts } from './accounts.ts';
import type { BatchUpload } from './batches.ts';
import { availableEffect, type TransactionRecord, type Transactions } from './transactions.ts';

export interface AdoptionSummary {
  readonly reversed: number;
  readonly recorded: number;
  readonly corrected: number;
  /** Uploads left out because their RRN belongs to a transaction outside the batch. */
  readonly conflicts: number;
}

/** What reversal_reason says of a transaction a settlement reversed (a 0400's is its DE39). */
const SETTLEMENT_REVERSAL_REASON = 'not in the terminal batch upload';

export function adoptUploads(
  parts: { readonly accounts: Accounts; readonly transactions: Transactions },
  batchId: number,
  uploads: readonly BatchUpload[],
  at: Date,
): AdoptionSummary {
  const { accounts, transactions } = parts;
  const uploadedRrns = new Set(uploads.map((upload) => upload.rrn));
  let reversed = 0;
  let recorded = 0;
  let corrected = 0;
  let conflicts = 0;

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
      transactions.insert({ ...upload, transmissionDateTime: undefined, approvedAt: at, originalId: undefined, batchId });
      accounts.adjustAvailable(upload.cardId, availableEffect(upload.kind, upload.amountMinor));
      recorded++;
    } else if (held.batchId !== batchId || held.state === 'posted') {
      conflicts++;
    } else if (held.state === 'reversed' || !sameTerms(held, upload)) {
      transactions.reinstate(held, upload, batchId);
      corrected++;
    }
  }
  return { reversed, recorded, corrected, conflicts };
}

function sameTerms(held: TransactionRecord, upload: BatchUpload): boolean {
  return held.kind === upload.kind && held.cardId === upload.cardId && held.amountMinor === upload.amountMinor;
}
