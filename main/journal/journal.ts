/**
 * The station's journal, in SQLite (node:sqlite), split the way the host's ledger is (bank/ledger/):
 *
 *   unit-of-work.ts  one transaction per change, and its domain events (outbox, projections, listeners)
 *   sales.ts         sales with their lines and tenders (sale-rows.ts, sale-events.ts)
 *   card-legs.ts     each card tender's ISO 8583 exchanges, as redacted summaries (card-leg-row.ts)
 *   chip-records.ts  a chip or contactless leg's AID, label, TVR, TSI, AC type, whitelisted ICC tags
 *   qr-legs.ts       each QR tender's wallet requests (payments, refunds), written ahead
 *   batches.ts       card batches, the open one and the closed ones' reports
 *   shifts.ts        shifts, cash movements, supervisors' approvals
 *   totals.ts        incrementally kept totals per batch and shift (projections.ts keeps them)
 *   counters.ts      STAN, receipt numbers, tender ids
 *   outbox           the head office's (main/head-office/sqlite-outbox.ts), in this file; its
 *                    writer hangs on the unit of work (docs/sales.md, "Events and the outbox")
 *   saf-table.ts     the store-and-forward queue
 *
 * Durability: WAL with synchronous=FULL, so a committed change survives a power cut, and readers
 * never block the writer. secure_delete: deleted rows are overwritten on disk. A change
 * that spans modules (a leg's outcome and its tender's state, a reversal and its queue item) is one
 * unit of work: a crash leaves all of it or none.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { BatchReport, SettlementResult } from '../../common/acquirer.ts';
import { schemaVersion } from '../../common-node/sqlite-migrations.ts';
import { SqliteOutbox } from '../head-office/sqlite-outbox.ts';
import { Batches, type BatchRecord } from './batches.ts';
import { CardLegs } from './card-legs.ts';
import { ChipRecords } from './chip-records.ts';
import { Counters } from './counters.ts';
import { migrateJournal } from './journal-schema.ts';
import { projectTotals } from './projections.ts';
import { QrLegs } from './qr-legs.ts';
import { SafTable } from './saf-table.ts';
import { Sales } from './sales.ts';
import { Shifts } from './shifts.ts';
import { Totals } from './totals.ts';
import { UnitOfWork } from './unit-of-work.ts';

export interface JournalOptions {
  readonly now?: () => Date;
  /** Written on shifts (the station's terminal id). */
  readonly stationId?: string;
}

export class Journal {
  readonly #db: DatabaseSync;
  readonly uow: UnitOfWork;
  readonly counters: Counters;
  readonly batches: Batches;
  readonly legs: CardLegs;
  /** What chip and contactless legs keep beyond the leg's summary (chip-records.ts). */
  readonly chip: ChipRecords;
  readonly qrLegs: QrLegs;
  readonly sales: Sales;
  readonly shifts: Shifts;
  readonly totals: Totals;
  /** The head office's outbox, in the journal's file: append to it from an in-transaction handler (uow.handleInTransaction). */
  readonly outbox: SqliteOutbox;
  readonly saf: SafTable;

  constructor(path: string, options: JournalOptions = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    const now = options.now ?? (() => new Date());
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;');
    migrateJournal(this.#db);
    this.outbox = new SqliteOutbox(this.#db, { migrate: false });
    this.uow = new UnitOfWork(this.#db);
    this.counters = new Counters(this.#db);
    this.batches = new Batches(this.#db, now);
    this.saf = new SafTable(this.#db, now);
    this.legs = new CardLegs(this.#db, { uow: this.uow, now, openBatchId: () => this.batches.openId() });
    this.chip = new ChipRecords(this.#db);
    this.qrLegs = new QrLegs(this.#db, now);
    this.sales = new Sales(this.#db, { uow: this.uow, legs: this.legs });
    this.shifts = new Shifts(this.#db, { uow: this.uow, now, stationId: options.stationId ?? '' });
    this.totals = new Totals(this.#db);
    this.uow.handleInTransaction(
      projectTotals(this.totals, {
        openBatchId: () => this.batches.openId(),
        openShiftId: () => this.shifts.openId(),
        legBatchId: (legId) => this.legs.batchIdOf(legId),
      }),
    );
  }

  /** Runs `work` in one SQLite transaction with its domain events (nested calls join the outer one). */
  atomically<T>(work: () => T): T {
    return this.uow.atomically(work);
  }

  /** The next system trace audit number (DE11), 000001–999999, persisted so a restart never reuses one. */
  nextStan(): string {
    return String(this.atomically(() => this.counters.next('stan', 999_999))).padStart(6, '0');
  }

  /** Closes the open batch with its report and opens the next number (999999 wraps to 000001). */
  closeBatch(batchId: number, settlement: SettlementResult, report: BatchReport): BatchRecord {
    return this.atomically(() => {
      const opened = this.batches.closeAndOpenNext(batchId, settlement, report);
      this.uow.emit({ type: 'batch.settled', at: opened.openedAt, batchNumber: report.batchNumber, result: settlement, debits: report.totals.debits.amount, credits: report.totals.credits.amount });
      return opened;
    });
  }

  schemaVersion(): number {
    return schemaVersion(this.#db);
  }

  close(): void {
    this.#db.close();
  }
}
