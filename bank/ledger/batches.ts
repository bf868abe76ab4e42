/**
 * Per-terminal batches. A terminal has at most one open batch: the host opens it at the terminal's
 * first approval after a close, and every purchase and refund it approves for that terminal joins
 * it. The terminal names the batch (DE60) only when it settles, so the number is recorded then.
 * Closing a batch posts its pending transactions: holds become debits, pending refunds credits.
 */
import type { DatabaseSync } from 'node:sqlite';
import { IN_BATCH } from './in-batch.ts';
import type { TransactionKind } from './transactions.ts';

/** Settlement totals of pending (approved, not reversed) transactions: refunds are credits, purchases debits. */
export interface BatchTotals {
  readonly creditsCount: number;
  readonly creditsMinor: number;
  readonly debitsCount: number;
  readonly debitsMinor: number;
}

export const EMPTY_TOTALS: BatchTotals = { creditsCount: 0, creditsMinor: 0, debitsCount: 0, debitsMinor: 0 };

export interface OpenBatch {
  readonly id: number;
  /** The number the terminal gave it at an out-of-balance 0500; undefined before any 0500. */
  readonly batchNumber: string | undefined;
}

export interface ClosedBatch {
  readonly batchNumber: string;
  readonly totals: BatchTotals;
}

/** A 0320 batch upload: one transaction as the terminal recorded it. */
export interface BatchUpload {
  readonly tid: string;
  readonly batchNumber: string;
  readonly rrn: string;
  readonly kind: TransactionKind;
  readonly stan: string;
  readonly merchantId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly approvalCode: string;
  readonly uploadedAt: Date;
}

export interface Batches {
  /** The terminal's open batch, opened now if it has none. */
  openBatchId(tid: string, at: Date): number;
  findOpen(tid: string): OpenBatch | undefined;
  totals(batchId: number): BatchTotals;
  setBatchNumber(batchId: number, batchNumber: string): void;
  /** Posts the batch's pending transactions and closes it with these totals. */
  close(batchId: number, batchNumber: string, totals: BatchTotals, at: Date): void;
  /** The terminal's most recently closed batch. */
  lastClosed(tid: string): ClosedBatch | undefined;
  stageUpload(upload: BatchUpload): void;
  uploads(tid: string, batchNumber: string): BatchUpload[];
  clearUploads(tid: string, batchNumber: string): void;
}

interface TotalsRow {
  credits_count: number;
  credits_minor: number;
  debits_count: number;
  debits_minor: number;
}

interface UploadRow {
  rrn: string;
  kind: TransactionKind;
  stan: string;
  merchant_id: string;
  amount_minor: number;
  currency: string;
  approval_code: string;
  uploaded_at: string;
}

const totalsFromRow = (row: TotalsRow): BatchTotals => ({
  creditsCount: row.credits_count,
  creditsMinor: row.credits_minor,
  debitsCount: row.debits_count,
  debitsMinor: row.debits_minor,
});

export function prepareBatches(db: DatabaseSync): Batches {
  const selectOpen = db.prepare("SELECT id, batch_number FROM batches WHERE tid = ? AND status = 'open'");
  const insertOpen = db.prepare(`
    INSERT INTO batches (tid, status, opened_at, opened_after_transaction_id)
    VALUES (?, 'open', ?, (SELECT coalesce(max(id), 0) FROM transactions)) RETURNING id`);
  const totals = db.prepare(`
    SELECT count(*) FILTER (WHERE kind = 'refund') AS credits_count,
           coalesce(sum(amount_minor) FILTER (WHERE kind = 'refund'), 0) AS credits_minor,
           count(*) FILTER (WHERE kind = 'purchase') AS debits_count,
           coalesce(sum(amount_minor) FILTER (WHERE kind = 'purchase'), 0) AS debits_minor
    FROM transactions WHERE ${IN_BATCH} AND state = 'pending'`);
  const setNumber = db.prepare('UPDATE batches SET batch_number = ? WHERE id = ?');
  // Debit accounts: purchases lower the balance, refunds raise it. Credit accounts: the reverse, on the amount owed.
  const postPending = db.prepare(`
    WITH batch_effect (card_id, effect) AS (
      SELECT card_id, sum(CASE kind WHEN 'purchase' THEN -amount_minor ELSE amount_minor END)
      FROM transactions WHERE ${IN_BATCH} AND state = 'pending' GROUP BY card_id)
    UPDATE accounts SET posted_minor = posted_minor + (CASE account_type WHEN 'debit' THEN 1 ELSE -1 END) * batch_effect.effect
    FROM batch_effect WHERE accounts.card_id = batch_effect.card_id`);
  const markPosted = db.prepare(`UPDATE transactions SET state = 'posted' WHERE ${IN_BATCH} AND state = 'pending'`);
  const markClosed = db.prepare(`
    UPDATE batches SET status = 'closed', batch_number = ?, closed_at = ?,
                       credits_count = ?, credits_minor = ?, debits_count = ?, debits_minor = ?
    WHERE id = ? AND status = 'open'`);
  const lastClosed = db.prepare(`
    SELECT batch_number, credits_count, credits_minor, debits_count, debits_minor FROM batches
    WHERE tid = ? AND status = 'closed' ORDER BY id DESC LIMIT 1`);
  const stage = db.prepare(`
    INSERT INTO batch_uploads (tid, batch_number, rrn, kind, stan, merchant_id, amount_minor, currency, approval_code, uploaded_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (tid, batch_number, rrn) DO UPDATE SET
      kind = excluded.kind, stan = excluded.stan,
      merchant_id = excluded.merchant_id, amount_minor = excluded.amount_minor, currency = excluded.currency,
      approval_code = excluded.approval_code, uploaded_at = excluded.uploaded_at`);
  const selectUploads = db.prepare(`
    SELECT rrn, kind, stan, merchant_id, amount_minor, currency, approval_code, uploaded_at
    FROM batch_uploads WHERE tid = ? AND batch_number = ? ORDER BY rrn`);
  const deleteUploads = db.prepare('DELETE FROM batch_uploads WHERE tid = ? AND batch_number = ?');

  function findOpen(tid: string): OpenBatch | undefined {
    const row = selectOpen.get(tid) as { id: number; batch_number: string | null } | undefined;
    return row && { id: row.id, batchNumber: row.batch_number ?? undefined };
  }

  return {
    openBatchId(tid, at) {
      return findOpen(tid)?.id ?? (insertOpen.get(tid, at.toISOString()) as { id: number }).id;
    },
    findOpen,
    totals: (batchId) => totalsFromRow(totals.get(batchId) as unknown as TotalsRow),
    setBatchNumber(batchId, batchNumber) {
      setNumber.run(batchNumber, batchId);
    },
    close(batchId, batchNumber, t, at) {
      postPending.run(batchId);
      markPosted.run(batchId);
      const closed = markClosed.run(batchNumber, at.toISOString(), t.creditsCount, t.creditsMinor, t.debitsCount, t.debitsMinor, batchId);
      if (Number(closed.changes) !== 1) throw new Error(`batch ${batchId} is not open`);
    },
    lastClosed(tid) {
      const row = lastClosed.get(tid) as (TotalsRow & { batch_number: string }) | undefined;
      return row && { batchNumber: row.batch_number, totals: totalsFromRow(row) };
    },
    stageUpload(u) {
      stage.run(u.tid, u.batchNumber, u.rrn, u.kind, u.stan, u.merchantId, u.amountMinor, u.currency, u.approvalCode, u.uploadedAt.toISOString());
    },
    uploads(tid, batchNumber) {
      const rows = selectUploads.all(tid, batchNumber) as unknown as UploadRow[];
      return rows.map((row) => ({
        tid,
        batchNumber,
        rrn: row.rrn,
        kind: row.kind,
        stan: row.stan,
        merchantId: row.merchant_id,
        amountMinor: row.amount_minor,
        currency: row.currency,
        approvalCode: row.approval_code,
        uploadedAt: new Date(row.uploaded_at),
      }));
    },
    clearUploads(tid, batchNumber) {
      deleteUploads.run(tid, batchNumber);
    },
  };
}
