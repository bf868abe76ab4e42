/**
 * Totals kept as the journal changes, so a report reads a handful of rows however many sales the
 * batch or shift holds (issue: end-of-day totals over a million journal rows in ≤ 100 ms). Each row
 * is a count and an amount (and a second amount where the metric has one, VAT) under a scope
 * (a card batch, a shift), a metric and a key. projections.ts moves them, in the same SQLite
 * transaction as the change that moves them, from the change's domain event.
 */
import type { DatabaseSync } from 'node:sqlite';

/** Card batch metrics, keyed by scheme, leg kind or tender state. */
export const BATCH_METRICS = {
  /** Approved purchase legs, by scheme: the settlement's debits. */
  debit: 'debit',
  /** Approved refund legs, by scheme: the settlement's credits. */
  credit: 'credit',
  /** Voided legs, by kind. */
  void: 'void',
  /** Card tenders by how they ended (a PIN retry is an attempt of one tender, never a declined sale). */
  cardTender: 'card_tender',
} as const;

/** Shift metrics (X and Z reports). */
export const SHIFT_METRICS = {
  /** Paid sales (key 'paid'), less voided ones; and cancelled ones (key 'cancelled'). */
  sales: 'sales',
  /** Approved tenders by type, less voided ones. */
  tender: 'tender',
  /** Approved card tenders by scheme, less voided ones. */
  scheme: 'scheme',
  /** Paid sales' amount and VAT by rate (key the rate in basis points), less voided ones. */
  salesVat: 'sales_vat',
  /** Refunds by tender type. */
  refund: 'refund',
  /** Refunds' amount and VAT by rate. */
  refundVat: 'refund_vat',
  /** Voided sales. */
  void: 'void',
  /** Cash movements: paid_in, paid_out, no_sale. */
  cash: 'cash',
} as const;

export type TotalsScope = 'batch' | 'shift';

export interface TotalsRow {
  readonly metric: string;
  readonly key: string;
  readonly count: number;
  readonly amountMinor: number;
  readonly extraMinor: number;
}

export class Totals {
  readonly #add;
  readonly #read;

  constructor(db: DatabaseSync) {
    this.#add = db.prepare(`INSERT INTO totals (scope, scope_id, metric, key, count, amount_minor, extra_minor) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (scope, scope_id, metric, key) DO UPDATE SET count = count + excluded.count, amount_minor = amount_minor + excluded.amount_minor, extra_minor = extra_minor + excluded.extra_minor`);
    this.#read = db.prepare('SELECT metric, key, count, amount_minor AS amountMinor, extra_minor AS extraMinor FROM totals WHERE scope = ? AND scope_id = ?');
  }

  /** Adds (or, with negative figures, takes away) a count and amounts. */
  add(scope: TotalsScope, scopeId: number, metric: string, key: string, count: number, amountMinor: number, extraMinor = 0): void {
    this.#add.run(scope, scopeId, metric, key, count, amountMinor, extraMinor);
  }

  read(scope: TotalsScope, scopeId: number): TotalsRow[] {
    return this.#read.all(scope, scopeId) as unknown as TotalsRow[];
  }
}
