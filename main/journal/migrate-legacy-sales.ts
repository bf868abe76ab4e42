/**
 * Journal v2 → v3, the code step: every card payment of a v2 journal becomes a sale, so nothing the
 * merchant sold is lost from the transactions list, the reports or a reprint.
 *
 *  - A v2 payment is its purchase rows: the first keyed by the payment id, later PIN attempts by
 *    "<id>/pin-N". It becomes one legacy sale (no lines: v2 kept none; total = the amount) with one
 *    card tender whose legs are those rows, attempts numbered in order.
 *  - The tender's state is its last attempt's outcome: approved; declined; failed (never reached the
 *    host, or reversed after a timeout); void_pending / voided (a void in flight / done); in_progress
 *    (a crash left it pending: start-up recovery reverses it as before).
 *  - The sale's status follows: paid (partly_refunded / refunded by its approved refunds), voided,
 *    cancelled (nothing was paid), tendering (in flight).
 *  - Refund and reversal rows become legs of the tender of the purchase they refer to; balance
 *    inquiries stay legs of no tender. Every row keeps its id.
 *  - The open batch's totals are computed once here; from now on they are kept as legs change.
 */
import type { DatabaseSync } from 'node:sqlite';
import { uuidV7At } from '../../common/uuid-v7.ts';
import { V3_REFERENCES, V3_TABLES } from './schema-v3.ts';
import { BATCH_METRICS } from './totals.ts';

interface LegacyRow {
  id: number;
  payment_id: string;
  created_at: string;
  updated_at: string;
  kind: 'purchase' | 'refund' | 'balance_inquiry' | 'reversal';
  amount_minor: number;
  currency: string;
  masked_pan: string;
  scheme: string;
  terminal_id: string;
  stan: string;
  status: string;
  response_code: string | null;
  approval_code: string | null;
  rrn: string | null;
  original_id: number | null;
  reversal_reason: string | null;
}

type TenderState = 'in_progress' | 'approved' | 'declined' | 'failed' | 'void_pending' | 'voided';

export function migrateLegacySales(db: DatabaseSync): void {
  db.exec(V3_TABLES);
  const rows = db.prepare('SELECT * FROM transactions ORDER BY id').all() as unknown as LegacyRow[];
  const reversalOf = (id: number) => rows.find((row) => row.kind === 'reversal' && row.original_id === id);

  const payments = new Map<string, LegacyRow[]>();
  for (const row of rows.filter((candidate) => candidate.kind === 'purchase')) {
    const key = row.payment_id.replace(/\/pin-\d+$/, '');
    payments.set(key, [...(payments.get(key) ?? []), row]);
  }

  const insertSale = db.prepare(`INSERT INTO sales (id, station_id, receipt_number, status, currency, opened_at, updated_at, paid_at, subtotal_minor, discount_minor, total_minor, vat_minor, paid_minor, refunded_minor, legacy)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, ?, ?, 1)`);
  const insertTender = db.prepare(`INSERT INTO tenders (id, sale_id, type, entry_mode, state, amount_minor, refunded_minor, masked_pan, scheme, approval_code, rrn, stan, response_code, created_at, updated_at)
    VALUES (?, ?, 'card', 'magstripe', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  /** Journal row id → its tender and attempt. */
  const legOf = new Map<number, { tenderId: number; attempt: number }>();
  let tenderId = 0;
  let receipt = 0;

  for (const attempts of payments.values()) {
    const first = attempts[0]!;
    const last = attempts.at(-1)!;
    tenderId += 1;
    receipt += 1;
    attempts.forEach((row, index) => legOf.set(row.id, { tenderId, attempt: index + 1 }));
    const state = tenderStateOf(last, reversalOf(last.id));
    const refunded = state === 'approved' ? standingRefunds(rows, last.id, reversalOf) : 0;
    const status = saleStatusOf(state, refunded, last.amount_minor);
    const paid = state === 'approved' ? last.amount_minor : 0;
    const updatedAt = attempts.reduce((latest, row) => (row.updated_at > latest ? row.updated_at : latest), first.updated_at);
    const saleId = uuidV7At(Date.parse(first.created_at));
    insertSale.run(saleId, first.terminal_id, String(receipt).padStart(6, '0'), status, first.currency, first.created_at, updatedAt, paid > 0 || state === 'voided' || state === 'void_pending' ? last.updated_at : null, last.amount_minor, last.amount_minor, paid, refunded);
    insertTender.run(tenderId, saleId, state, last.amount_minor, refunded, last.masked_pan, last.scheme, last.approval_code, last.rrn, last.stan, last.response_code, first.created_at, updatedAt);
  }
  // Refunds and reversals belong to the tender of the purchase they name (a reversal may name a refund).
  for (const row of rows) {
    if ((row.kind === 'refund' || row.kind === 'reversal') && row.original_id !== null) {
      const original = legOf.get(row.original_id);
      if (original) legOf.set(row.id, { tenderId: original.tenderId, attempt: 1 });
    }
  }

  db.exec(`CREATE TEMP TABLE legacy_legs (row_id INTEGER PRIMARY KEY, tender_id INTEGER NOT NULL, attempt INTEGER NOT NULL)`);
  const insertLeg = db.prepare('INSERT INTO legacy_legs VALUES (?, ?, ?)');
  for (const [rowId, leg] of legOf) insertLeg.run(rowId, leg.tenderId, leg.attempt);
  db.exec(`
    INSERT INTO card_legs (id, tender_id, attempt, created_at, updated_at, kind, mti, amount_minor, currency, masked_pan, scheme, entry_mode, terminal_id,
                           merchant_id, processing_code, stan, transmitted_at, local_time, local_date, status, response_code, approval_code, rrn,
                           batch_id, original_id, original_rrn, reversal_reason)
      SELECT t.id, l.tender_id, coalesce(l.attempt, 1), t.created_at, t.updated_at, t.kind, CASE t.kind WHEN 'reversal' THEN '0400' ELSE '0200' END,
             t.amount_minor, t.currency, t.masked_pan, t.scheme, t.entry_mode, t.terminal_id, t.merchant_id, t.processing_code, t.stan,
             t.transmitted_at, t.local_time, t.local_date, t.status, t.response_code, t.approval_code, t.rrn, t.batch_id, t.original_id,
             t.original_rrn, t.reversal_reason
      FROM transactions t LEFT JOIN legacy_legs l ON l.row_id = t.id ORDER BY t.id;
    DROP TABLE legacy_legs;
  `);
  db.exec(V3_REFERENCES);
  db.exec('DROP TABLE transactions');
  const setCounter = db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
  setCounter.run('receipt', receipt);
  setCounter.run('tender', tenderId);
  openBatchTotals(db);
}

function tenderStateOf(last: LegacyRow, reversal: LegacyRow | undefined): TenderState {
  switch (last.status) {
    case 'approved':
      return 'approved';
    case 'voided':
      return 'voided';
    case 'reversal_pending':
      return reversal?.reversal_reason === '17' ? 'void_pending' : 'failed';
    case 'declined':
      return 'declined';
    case 'pending':
      return 'in_progress';
    default:
      // failed, or reversed after a timeout: the customer was never charged.
      return 'failed';
  }
}

/** Approved refunds of a purchase, and those whose void is still in flight (they stand until the host confirms). */
function standingRefunds(rows: readonly LegacyRow[], purchaseId: number, reversalOf: (id: number) => LegacyRow | undefined): number {
  return rows
    .filter((row) => row.kind === 'refund' && row.original_id === purchaseId)
    .filter((row) => row.status === 'approved' || (row.status === 'reversal_pending' && reversalOf(row.id)?.reversal_reason === '17'))
    .reduce((sum, row) => sum + row.amount_minor, 0);
}

function saleStatusOf(state: TenderState, refunded: number, amount: number): string {
  if (state === 'approved') return refunded === 0 ? 'paid' : refunded >= amount ? 'refunded' : 'partly_refunded';
  if (state === 'voided' || state === 'void_pending') return 'voided';
  if (state === 'in_progress') return 'tendering';
  return 'cancelled';
}

/** The open batch's totals as the running station keeps them (totals.ts), computed once from its legs. */
function openBatchTotals(db: DatabaseSync): void {
  db.exec(`
    INSERT INTO totals (scope, scope_id, metric, key, count, amount_minor)
      SELECT 'batch', l.batch_id, CASE l.kind WHEN 'purchase' THEN '${BATCH_METRICS.debit}' ELSE '${BATCH_METRICS.credit}' END, l.scheme, count(*), sum(l.amount_minor)
      FROM card_legs l JOIN batches b ON b.id = l.batch_id AND b.status = 'open'
      WHERE l.status = 'approved' AND l.kind IN ('purchase', 'refund') GROUP BY 1, 2, 3, 4;
    INSERT INTO totals (scope, scope_id, metric, key, count, amount_minor)
      SELECT 'batch', l.batch_id, '${BATCH_METRICS.void}', l.kind, count(*), sum(l.amount_minor)
      FROM card_legs l JOIN batches b ON b.id = l.batch_id AND b.status = 'open'
      WHERE l.status = 'voided' AND l.kind IN ('purchase', 'refund') GROUP BY 1, 2, 3, 4;
    INSERT INTO totals (scope, scope_id, metric, key, count, amount_minor)
      SELECT 'batch', b.id, '${BATCH_METRICS.cardTender}', t.state, count(*), sum(t.amount_minor)
      FROM tenders t JOIN batches b ON b.status = 'open'
        AND b.id = (SELECT l.batch_id FROM card_legs l WHERE l.tender_id = t.id ORDER BY l.id LIMIT 1)
      WHERE t.type = 'card' AND t.state <> 'in_progress' GROUP BY 1, 2, 3, 4;
  `);
}
