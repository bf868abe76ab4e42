/**
 * Card batches (DE60): always exactly one open, which new card legs join; closed ones keep the
 * report they had at the close, read-only. Numbers wrap (999999 → 000001), so rows are told apart
 * by id.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { BatchReport, SettlementResult } from '../../common/acquirer.ts';

export interface BatchRecord {
  readonly id: number;
  readonly batchNumber: string;
  readonly openedAt: string;
}

export class Batches {
  readonly #open;
  readonly #openId;
  readonly #close;
  readonly #insert;
  readonly #closed;
  readonly #now: () => Date;

  constructor(db: DatabaseSync, now: () => Date) {
    this.#now = now;
    this.#open = db.prepare("SELECT id, batch_number, opened_at FROM batches WHERE status = 'open'");
    this.#openId = db.prepare("SELECT id FROM batches WHERE status = 'open'");
    this.#close = db.prepare("UPDATE batches SET status = 'closed', closed_at = ?, settlement = ?, report = ? WHERE id = ? AND status = 'open'");
    this.#insert = db.prepare("INSERT INTO batches (batch_number, status, opened_at) VALUES (?, 'open', ?)");
    this.#closed = db.prepare("SELECT report FROM batches WHERE status = 'closed' ORDER BY id DESC LIMIT ?");
  }

  /** The batch new card legs join. There is always exactly one. */
  open(): BatchRecord {
    const row = this.#open.get() as { id: number; batch_number: string; opened_at: string } | undefined;
    if (row === undefined) throw new Error('the journal has no open batch');
    return { id: row.id, batchNumber: row.batch_number, openedAt: row.opened_at };
  }

  /** The open batch's id: what every new card leg and the kept totals need. */
  openId(): number {
    const row = this.#openId.get() as { id: number } | undefined;
    if (row === undefined) throw new Error('the journal has no open batch');
    return row.id;
  }

  /** Closes the open batch with its report and opens the next number; call inside a unit of work. */
  closeAndOpenNext(batchId: number, settlement: SettlementResult, report: BatchReport): BatchRecord {
    const open = this.open();
    if (open.id !== batchId) throw new Error(`batch ${batchId} is not the open batch`);
    const now = this.#now().toISOString();
    this.#close.run(now, settlement, JSON.stringify({ ...report, closedAt: now, settlement }), batchId);
    const next = String((Number(open.batchNumber) % 999_999) + 1).padStart(6, '0');
    const id = Number(this.#insert.run(next, now).lastInsertRowid);
    return { id, batchNumber: next, openedAt: now };
  }

  /** Closed batches' reports, newest first, exactly as they were closed. */
  closed(limit: number): BatchReport[] {
    return (this.#closed.all(limit) as { report: string }[]).map((row) => JSON.parse(row.report) as BatchReport);
  }
}
