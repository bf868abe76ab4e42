/**
 * Card legs: each ISO 8583 exchange of a card tender (a purchase attempt, a refund, a reversal), or
 * of a balance inquiry, journaled as a redacted summary: MTI, DE3, DE4, DE7, DE11, DE22, DE37,
 * DE38, DE39, the masked PAN and the scheme, plus what a reversal or batch upload must repeat (DE12,
 * DE13, DE41, DE42). Never the message, the full PAN, track data, PIN block or CVV (PCI DSS 3.2,
 * 3.3). Nothing needs the PAN later: a reversal or batch upload carries no card (profile v4).
 *
 * A leg is written before its request leaves the station and completed with the answer, so a crash
 * at any point leaves a leg that says how far it got. Every status change goes through here and
 * emits card_leg.status_changed, which keeps the batch totals (projections.ts).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { JournalStatus, ReversalReason } from '../../common/journal.ts';
import { SELECT_LEGS, toCardLeg, toRow, type CardLegRow, type LegSqlRow } from './card-leg-row.ts';
import type { UnitOfWork } from './unit-of-work.ts';

/** What maskPan produces: at most the first 6 and last 4 digits (PCI DSS 3.3), or all stars. */
const MASKED_PAN = /^(\d{6}\*{2,9}\d{4}|\*{4,19})$/;

/** A leg as the exchange writes it before sending: the row's request fields, without what the answer brings. */
export type PendingLeg = Pick<CardLegRow, 'kind' | 'mti' | 'amount' | 'maskedPan' | 'scheme' | 'terminalId' | 'processingCode' | 'stan' | 'transmittedAt' | 'localTime' | 'localDate'> & {
  /** The card tender; none for a balance inquiry. */
  readonly tenderId: number | undefined;
  /** The PIN attempt of the tender (a 55 brings another); 1 when not given. */
  readonly attempt?: number;
  /** DE22 as sent. */
  readonly entryMode: string;
  readonly merchantId: string;
  readonly originalId?: number;
  readonly originalRrn?: string;
  readonly reversalReason?: ReversalReason;
};

export interface LegOutcome {
  readonly status: 'approved' | 'declined' | 'failed';
  readonly responseCode?: string;
  readonly approvalCode?: string;
  readonly rrn?: string;
}


export class CardLegs {
  readonly #db: DatabaseSync;
  readonly #uow: UnitOfWork;
  readonly #now: () => Date;
  readonly #openBatchId: () => number;
  readonly #insert;
  readonly #saleOf;
  readonly #byId;
  readonly #batchOf;
  readonly #statements = new Map<string, ReturnType<DatabaseSync['prepare']>>();

  constructor(db: DatabaseSync, deps: { uow: UnitOfWork; now: () => Date; openBatchId: () => number }) {
    this.#db = db;
    this.#uow = deps.uow;
    this.#now = deps.now;
    this.#openBatchId = deps.openBatchId;
    this.#insert = db.prepare(
      `INSERT INTO card_legs (tender_id, attempt, created_at, updated_at, kind, mti, amount_minor, currency, masked_pan, scheme, entry_mode, terminal_id, merchant_id,
         processing_code, stan, transmitted_at, local_time, local_date, status, batch_id, original_id, original_rrn, reversal_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
    );
    this.#saleOf = db.prepare('SELECT sale_id FROM tenders WHERE id = ?');
    this.#byId = db.prepare(`${SELECT_LEGS} WHERE l.id = ?`);
    this.#batchOf = db.prepare('SELECT batch_id FROM card_legs WHERE id = ?');
  }

  /** Written before the request leaves the station, in the open batch. */
  record(leg: PendingLeg): number {
    // The SQL CHECK is a backstop (GLOB cannot say "only stars in the middle"); this is the rule.
    if (!MASKED_PAN.test(leg.maskedPan)) throw new Error('journal: masked_pan must be first 6 and last 4 digits with only * between, or all *');
    return this.#uow.atomically(() => {
      const now = this.#now().toISOString();
      const id = Number(
        this.#insert.run(
          leg.tenderId ?? null, leg.attempt ?? 1, now, now, leg.kind, leg.mti, leg.amount.amountMinor, leg.amount.currency, leg.maskedPan, leg.scheme, leg.entryMode,
          leg.terminalId, leg.merchantId, leg.processingCode, leg.stan, leg.transmittedAt, leg.localTime, leg.localDate, this.#openBatchId(),
          leg.originalId ?? null, leg.originalRrn ?? null, leg.reversalReason ?? null,
        ).lastInsertRowid,
      );
      const row = this.row(id)!;
      this.#uow.emit({ type: 'card_leg.recorded', at: now, ...this.#saleIdOf(row), leg: toCardLeg(row) });
      return id;
    });
  }

  /** Records the host's answer (or that the request never reached it) on a pending leg. */
  complete(id: number, outcome: LegOutcome): void {
    this.#uow.atomically(() => this.#change(id, ['pending'], outcome.status, 'response_code = ?, approval_code = ?, rrn = ?', [outcome.responseCode ?? null, outcome.approvalCode ?? null, outcome.rrn ?? null]));
  }

  /** Moves a leg from one of `from` to `to`; throws when it is in none of them (someone else got there first). */
  transition(id: number, from: readonly JournalStatus[], to: JournalStatus, responseCode?: string): void {
    this.#uow.atomically(() => this.#change(id, from, to, 'response_code = coalesce(?, response_code)', [responseCode ?? null]));
  }

  /** A reversal leg's DE7 is that of its latest attempt, so the leg names what the host last saw. */
  setTransmittedAt(id: number, transmittedAt: string): void {
    this.#db.prepare('UPDATE card_legs SET transmitted_at = ?, updated_at = ? WHERE id = ?').run(transmittedAt, this.#now().toISOString(), id);
  }

  row(id: number): CardLegRow | undefined {
    const row = this.#byId.get(id) as LegSqlRow | undefined;
    return row && toRow(row);
  }

  /** The batch a leg counts in. */
  batchIdOf(id: number): number | undefined {
    return (this.#batchOf.get(id) as { batch_id: number | null } | undefined)?.batch_id ?? undefined;
  }

  /** The approved purchase leg with this RRN (DE37), as a refund names it. */
  purchaseByRrn(rrn: string): CardLegRow | undefined {
    const row = this.#db.prepare(`${SELECT_LEGS} WHERE l.rrn = ? AND l.kind = 'purchase' ORDER BY l.id DESC LIMIT 1`).get(rrn) as LegSqlRow | undefined;
    return row && toRow(row);
  }

  /** The most recent leg: what a test or a support tool looks at first. */
  newest(): CardLegRow | undefined {
    return this.recent(1)[0];
  }

  /** The newest `limit` legs, newest first (a support bundle's excerpt). */
  recent(limit: number): CardLegRow[] {
    return (this.#db.prepare(`${SELECT_LEGS} ORDER BY l.id DESC LIMIT ?`).all(limit) as unknown as LegSqlRow[]).map(toRow);
  }

  ofTender(tenderId: number): CardLegRow[] {
    return (this.#db.prepare(`${SELECT_LEGS} WHERE l.tender_id = ? ORDER BY l.id`).all(tenderId) as unknown as LegSqlRow[]).map(toRow);
  }

  /** Purchases, refunds and balance inquiries a crash left pending: the host may or may not have acted on them. */
  pending(): CardLegRow[] {
    return (this.#db.prepare(`${SELECT_LEGS} WHERE l.status = 'pending' AND l.kind <> 'reversal' ORDER BY l.id`).all() as unknown as LegSqlRow[]).map(toRow);
  }

  /** A batch's approved purchases and refunds, one at a time (a batch may hold a great many). */
  *uploads(batchId: number): Generator<CardLegRow> {
    const statement = this.#db.prepare(`${SELECT_LEGS} WHERE l.batch_id = ? AND l.status = 'approved' AND l.kind IN ('purchase', 'refund') ORDER BY l.id`);
    for (const row of statement.iterate(batchId)) yield toRow(row as unknown as LegSqlRow);
  }

  #change(id: number, from: readonly JournalStatus[], to: JournalStatus, set: string, values: (string | null)[]): void {
    const before = this.row(id);
    const placeholders = from.map(() => '?').join(', ');
    const sql = `UPDATE card_legs SET status = ?, ${set}, updated_at = ? WHERE id = ? AND status IN (${placeholders}) RETURNING response_code, approval_code, rrn`;
    const statement = this.#statements.get(sql) ?? this.#db.prepare(sql);
    this.#statements.set(sql, statement);
    const now = this.#now().toISOString();
    const changed = statement.get(to, ...values, now, id, ...from) as Pick<LegSqlRow, 'response_code' | 'approval_code' | 'rrn'> | undefined;
    if (changed === undefined || before === undefined) throw new Error(`card leg ${id} is not ${from.join(' or ')}`);
    const after: CardLegRow = { ...before, status: to, responseCode: changed.response_code ?? undefined, approvalCode: changed.approval_code ?? undefined, rrn: changed.rrn ?? undefined };
    this.#uow.emit({ type: 'card_leg.status_changed', at: now, ...this.#saleIdOf(after), leg: toCardLeg(after), from: before.status });
  }

  #saleIdOf(row: CardLegRow): { saleId?: string } {
    if (row.tenderId === undefined) return {};
    const found = this.#saleOf.get(row.tenderId) as { sale_id: string } | undefined;
    return found ? { saleId: found.sale_id } : {};
  }
}


export { toCardLeg, type CardLegRow };
