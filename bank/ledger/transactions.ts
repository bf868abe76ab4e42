/**
 * Approved purchases and refunds, and what each does to its account while its batch is open:
 * a purchase holds its amount (available goes down), a refund credits it (available goes up).
 * Reversing a pending transaction undoes exactly that. Settlement (batches.ts) posts them.
 * Rows carry the masked PAN only; the card is named by the deck's card id.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Accounts } from './accounts.ts';
import { IN_BATCH } from './in-batch.ts';

export type TransactionKind = 'purchase' | 'refund';
export type TransactionState = 'pending' | 'posted' | 'reversed';

export interface TransactionRecord {
  readonly id: number;
  readonly kind: TransactionKind;
  readonly rrn: string;
  readonly cardId: string;
  readonly tid: string;
  readonly stan: string;
  /** Undefined for transactions carried over from the v1 ledger, which did not keep DE42. */
  readonly merchantId: string | undefined;
  readonly amountMinor: number;
  readonly currency: string;
  /** Purchases: the sum of their approved, not reversed refunds. */
  readonly refundedMinor: number;
  /** Refunds: the purchase they give money back for. */
  readonly originalId: number | undefined;
  readonly batchId: number | undefined;
  readonly state: TransactionState;
}

/** What the host records for an approved purchase or refund. */
export interface NewTransaction {
  readonly kind: TransactionKind;
  readonly rrn: string;
  readonly approvalCode: string;
  readonly cardId: string;
  readonly maskedPan: string;
  readonly tid: string;
  readonly stan: string;
  readonly transmissionDateTime: string | undefined;
  readonly merchantId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly approvedAt: Date;
  readonly originalId: number | undefined;
  readonly batchId: number;
}

export interface Transactions {
  /** The next retrieval reference number's sequence value. */
  nextRrnSequence(): number;
  insert(transaction: NewTransaction): void;
  findByRrn(rrn: string): TransactionRecord | undefined;
  /** The transaction a terminal's request created, named as a reversal's DE90 names it. */
  findByRequest(tid: string, stan: string, transmissionDateTime: string): TransactionRecord | undefined;
  pendingInBatch(batchId: number): TransactionRecord[];
  addRefunded(purchaseId: number, deltaMinor: number): void;
  /** Undoes a pending transaction's effect on its account and marks it reversed. */
  reverse(transaction: TransactionRecord, reason: string, at: Date): void;
  /** Makes a transaction pending in `batchId` with these terms and applies its effect again (settlement adoption). */
  reinstate(transaction: TransactionRecord, terms: TransactionTerms, batchId: number): void;
}

/** The parts of a transaction a batch upload may correct; the card is not one (an upload carries none). */
export interface TransactionTerms {
  readonly kind: TransactionKind;
  readonly amountMinor: number;
}

/** A transaction's effect on its account's available amount while pending. */
export function availableEffect(kind: TransactionKind, amountMinor: number): number {
  return kind === 'purchase' ? -amountMinor : amountMinor;
}

const COLUMNS = 'id, kind, rrn, card_id, tid, stan, merchant_id, amount_minor, currency, refunded_minor, original_id, batch_id, state';

interface TransactionRow {
  id: number;
  kind: TransactionKind;
  rrn: string;
  card_id: string;
  tid: string;
  stan: string;
  merchant_id: string | null;
  amount_minor: number;
  currency: string;
  refunded_minor: number;
  original_id: number | null;
  batch_id: number | null;
  state: TransactionState;
}

function toRecord(row: TransactionRow): TransactionRecord {
  return {
    id: row.id,
    kind: row.kind,
    rrn: row.rrn,
    cardId: row.card_id,
    tid: row.tid,
    stan: row.stan,
    merchantId: row.merchant_id ?? undefined,
    amountMinor: row.amount_minor,
    currency: row.currency,
    refundedMinor: row.refunded_minor,
    originalId: row.original_id ?? undefined,
    batchId: row.batch_id ?? undefined,
    state: row.state,
  };
}

export function prepareTransactions(db: DatabaseSync, accounts: Accounts): Transactions {
  const nextRrn = db.prepare("UPDATE sequences SET value = value + 1 WHERE name = 'rrn' RETURNING value");
  const insert = db.prepare(`
    INSERT INTO transactions (kind, rrn, approval_code, card_id, masked_pan, tid, stan, transmission_date_time, merchant_id,
                              amount_minor, currency, approved_at, original_id, batch_id, state)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`);
  const byRrn = db.prepare(`SELECT ${COLUMNS} FROM transactions WHERE rrn = ?`);
  // The latest, should a terminal's STAN and clock ever repeat a pair.
  const byRequest = db.prepare(`SELECT ${COLUMNS} FROM transactions WHERE tid = ? AND stan = ? AND transmission_date_time = ? ORDER BY id DESC LIMIT 1`);
  const pendingInBatch = db.prepare(`SELECT ${COLUMNS} FROM transactions WHERE ${IN_BATCH} AND state = 'pending' ORDER BY id`);
  const addRefunded = db.prepare('UPDATE transactions SET refunded_minor = refunded_minor + ? WHERE id = ?');
  const markReversed = db.prepare("UPDATE transactions SET state = 'reversed', reversed_at = ?, reversal_reason = ? WHERE id = ? AND state = 'pending'");
  const reinstate = db.prepare(`
    UPDATE transactions SET state = 'pending', reversed_at = NULL, reversal_reason = NULL,
                            kind = ?, amount_minor = ?, batch_id = ?
    WHERE id = ?`);

  function addRefundedTo(purchaseId: number, deltaMinor: number): void {
    addRefunded.run(deltaMinor, purchaseId);
  }

  /** Takes a pending transaction's effect off its account and its original's refunded sum. */
  function undoEffect(transaction: TransactionRecord): void {
    accounts.adjustAvailable(transaction.cardId, -availableEffect(transaction.kind, transaction.amountMinor));
    if (transaction.kind === 'refund' && transaction.originalId !== undefined) addRefundedTo(transaction.originalId, -transaction.amountMinor);
  }

  return {
    nextRrnSequence: () => (nextRrn.get() as { value: number }).value,
    insert(t) {
      insert.run(
        t.kind,
        t.rrn,
        t.approvalCode,
        t.cardId,
        t.maskedPan,
        t.tid,
        t.stan,
        t.transmissionDateTime ?? null,
        t.merchantId,
        t.amountMinor,
        t.currency,
        t.approvedAt.toISOString(),
        t.originalId ?? null,
        t.batchId,
      );
    },
    findByRrn(rrn) {
      const row = byRrn.get(rrn) as TransactionRow | undefined;
      return row && toRecord(row);
    },
    findByRequest(tid, stan, transmissionDateTime) {
      const row = byRequest.get(tid, stan, transmissionDateTime) as TransactionRow | undefined;
      return row && toRecord(row);
    },
    pendingInBatch: (batchId) => (pendingInBatch.all(batchId) as unknown as TransactionRow[]).map(toRecord),
    addRefunded: addRefundedTo,
    reverse(transaction, reason, at) {
      if (Number(markReversed.run(at.toISOString(), reason, transaction.id).changes) !== 1) {
        throw new Error(`transaction ${transaction.rrn} is not pending and cannot be reversed`);
      }
      undoEffect(transaction);
    },
    reinstate(transaction, terms, batchId) {
      if (transaction.state === 'posted') throw new Error(`transaction ${transaction.rrn} is settled and cannot be reinstated`);
      if (transaction.state === 'pending') undoEffect(transaction);
      reinstate.run(terms.kind, terms.amountMinor, batchId, transaction.id);
      accounts.adjustAvailable(transaction.cardId, availableEffect(terms.kind, terms.amountMinor));
      if (terms.kind === 'refund' && transaction.originalId !== undefined) addRefundedTo(transaction.originalId, terms.amountMinor);
    },
  };
}
