/**
 * The transaction journal, in SQLite (node:sqlite). A transaction is written before its request
 * goes to the host and updated with the response, so a crash at any point leaves a row that says
 * exactly how far it got. Rows carry the masked PAN only: never the full PAN, track data, PIN block
 * or CVV (PCI DSS 3.2, 3.3). The PAN a later reversal or batch upload needs is sealed in the PAN
 * vault (pan-vault.ts), never in these columns.
 *
 * The same database holds the batches (the open one and the closed ones' reports) and the
 * store-and-forward queue, so a change that spans them commits as one.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { BatchReport, SettlementResult } from '../../common/acquirer.ts';
import type { CardScheme } from '../../common/card/scheme.ts';
import type { JournalEntry, JournalKind, JournalStatus, ReversalReason } from '../../common/journal.ts';
import { money, type Money } from '../../common/money.ts';
import { migrateJournal } from './journal-schema.ts';
import { PanVault, VAULT_KEY_BYTES } from './pan-vault.ts';
import { SafTable } from './saf-table.ts';


/** What maskPan produces: at most the first 6 and last 4 digits (PCI DSS 3.3), or all stars. */
const MASKED_PAN = /^(\d{6}\*{2,9}\d{4}|\*{4,19})$/;
export type { JournalStatus };

/** What is recorded before a request leaves the station. */
export interface PendingTransaction {
  readonly paymentId: string;
  readonly kind: JournalKind;
  readonly amount: Money;
  readonly maskedPan: string;
  readonly scheme: CardScheme;
  readonly entryMode: string;
  readonly terminalId: string;
  readonly merchantId: string;
  readonly processingCode: string;
  readonly stan: string;
  /** DE7 as sent, MMDDhhmmss UTC. */
  readonly transmittedAt: string;
  /** DE12 hhmmss and DE13 MMDD as sent. */
  readonly localTime: string;
  readonly localDate: string;
  readonly originalId?: number;
  readonly originalRrn?: string;
  readonly reversalReason?: ReversalReason;
  /** Sealed in the PAN vault when given: only for what a reversal or batch upload may need later. */
  readonly pan?: string;
}

export interface TransactionOutcome {
  readonly status: 'approved' | 'declined' | 'failed';
  readonly responseCode?: string;
  readonly approvalCode?: string;
  readonly rrn?: string;
}

/** A journal row as the station's services read it. */
export interface JournalRow {
  readonly id: number;
  readonly paymentId: string;
  readonly createdAt: string;
  readonly kind: JournalKind;
  readonly amount: Money;
  readonly maskedPan: string;
  readonly scheme: CardScheme;
  readonly entryMode: string;
  readonly terminalId: string;
  /** Undefined for rows carried over from journal v1, which did not keep DE42. */
  readonly merchantId: string | undefined;
  readonly processingCode: string;
  readonly stan: string;
  readonly transmittedAt: string;
  readonly localTime: string;
  readonly localDate: string;
  readonly status: JournalStatus;
  readonly responseCode: string | undefined;
  readonly approvalCode: string | undefined;
  readonly rrn: string | undefined;
  /** Undefined for rows carried over from journal v1: the host settled those without a batch. */
  readonly batchId: number | undefined;
  readonly batchNumber: string | undefined;
  readonly originalId: number | undefined;
  readonly originalRrn: string | undefined;
  readonly reversalReason: ReversalReason | undefined;
  /** A purchase: the refunds against it that stand or may stand (approved, in flight, being voided). */
  readonly refundedMinor: number;
}

export interface BatchRecord {
  readonly id: number;
  readonly batchNumber: string;
  readonly openedAt: string;
}

export interface JournalOptions {
  readonly now?: () => Date;
  /** The PAN vault's key (vault-key.ts). Without one, a random key that dies with this object: for tests. */
  readonly vaultKey?: Buffer;
}

/** Refund statuses that count against what is left to refund. */
const REFUND_HOLDS = "('pending', 'approved', 'reversal_pending')";

const SELECT_ROWS = `
  SELECT t.*, b.batch_number,
         (SELECT coalesce(sum(r.amount_minor), 0) FROM transactions r
           WHERE r.original_id = t.id AND r.kind = 'refund' AND r.status IN ${REFUND_HOLDS}) AS refunded_minor
  FROM transactions t LEFT JOIN batches b ON b.id = t.batch_id`;

interface Row {
  id: number;
  payment_id: string;
  created_at: string;
  kind: JournalKind;
  amount_minor: number;
  currency: Money['currency'];
  masked_pan: string;
  scheme: CardScheme;
  entry_mode: string;
  terminal_id: string;
  merchant_id: string | null;
  processing_code: string;
  stan: string;
  transmitted_at: string;
  local_time: string;
  local_date: string;
  status: JournalStatus;
  response_code: string | null;
  approval_code: string | null;
  rrn: string | null;
  batch_id: number | null;
  batch_number: string | null;
  original_id: number | null;
  original_rrn: string | null;
  reversal_reason: ReversalReason | null;
  refunded_minor: number;
}

export class Journal {
  readonly #db: DatabaseSync;
  readonly #now: () => Date;
  readonly vault: PanVault;
  readonly saf: SafTable;
  #depth = 0;

  constructor(path: string, options: JournalOptions = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#now = options.now ?? (() => new Date());
    // WAL with synchronous=FULL: a committed row survives a power cut, and readers never block the writer.
    // secure_delete: a forgotten (deleted) vault entry is overwritten on disk, not just freed.
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;');
    migrateJournal(this.#db);
    this.vault = new PanVault(this.#db, options.vaultKey ?? randomBytes(VAULT_KEY_BYTES));
    this.saf = new SafTable(this.#db, this.#now);
  }

  /** Runs `work` in one SQLite transaction (nested calls join the outer one). */
  atomically<T>(work: () => T): T {
    const savepoint = `journal_${this.#depth++}`;
    this.#db.exec(`SAVEPOINT ${savepoint}`);
    try {
      const result = work();
      this.#db.exec(`RELEASE ${savepoint}`);
      return result;
    } catch (error) {
      this.#db.exec(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      throw error;
    } finally {
      this.#depth--;
    }
  }

  /** The next system trace audit number (DE11), 000001–999999, persisted so a restart never reuses one. */
  nextStan(): string {
    return this.atomically(() => {
      const row = this.#db.prepare("SELECT value FROM counters WHERE name = 'stan'").get() as { value: number } | undefined;
      const next = ((row?.value ?? 0) % 999_999) + 1;
      this.#db.prepare("INSERT INTO counters (name, value) VALUES ('stan', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value").run(next);
      return String(next).padStart(6, '0');
    });
  }

  /** Written before the request leaves the station, in the open batch. */
  recordPending(transaction: PendingTransaction): number {
    // The SQL CHECK is a backstop (GLOB cannot say "only stars in the middle"); this is the rule.
    if (!MASKED_PAN.test(transaction.maskedPan)) throw new Error('journal: masked_pan must be first 6 and last 4 digits with only * between, or all *');
    return this.atomically(() => {
      const now = this.#now().toISOString();
      const result = this.#db
        .prepare(
          `INSERT INTO transactions (payment_id, created_at, updated_at, kind, amount_minor, currency, masked_pan, scheme, entry_mode, terminal_id,
             merchant_id, processing_code, stan, transmitted_at, local_time, local_date, status, batch_id, original_id, original_rrn, reversal_reason)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
        )
        .run(
          transaction.paymentId,
          now,
          now,
          transaction.kind,
          transaction.amount.amountMinor,
          transaction.amount.currency,
          transaction.maskedPan,
          transaction.scheme,
          transaction.entryMode,
          transaction.terminalId,
          transaction.merchantId,
          transaction.processingCode,
          transaction.stan,
          transaction.transmittedAt,
          transaction.localTime,
          transaction.localDate,
          this.openBatch().id,
          transaction.originalId ?? null,
          transaction.originalRrn ?? null,
          transaction.reversalReason ?? null,
        );
      const id = Number(result.lastInsertRowid);
      if (transaction.pan !== undefined) this.vault.seal(id, transaction.pan);
      return id;
    });
  }

  /** Records the host's answer (or that the request never reached it) on a pending row. */
  complete(id: number, outcome: TransactionOutcome): void {
    this.atomically(() => {
      const changes = this.#db
        .prepare(`UPDATE transactions SET status = ?, response_code = ?, approval_code = ?, rrn = ?, updated_at = ? WHERE id = ? AND status = 'pending'`)
        .run(outcome.status, outcome.responseCode ?? null, outcome.approvalCode ?? null, outcome.rrn ?? null, this.#now().toISOString(), id).changes;
      if (Number(changes) !== 1) throw new Error(`journal row ${id} is not pending`);
      // Nothing will reverse or upload a transaction the host refused or never saw.
      if (outcome.status !== 'approved') this.vault.forget(id);
    });
  }

  /** Moves a row from one of `from` to `to`; throws when it is in none of them (someone else got there first). */
  transition(id: number, from: readonly JournalStatus[], to: JournalStatus, responseCode?: string): void {
    const placeholders = from.map(() => '?').join(', ');
    const changes = this.#db
      .prepare(`UPDATE transactions SET status = ?, response_code = coalesce(?, response_code), updated_at = ? WHERE id = ? AND status IN (${placeholders})`)
      .run(to, responseCode ?? null, this.#now().toISOString(), id, ...from).changes;
    if (Number(changes) !== 1) throw new Error(`journal row ${id} is not ${from.join(' or ')}`);
  }

  /** A reversal row's DE7 is that of its latest attempt, so the row names what the host last saw. */
  setTransmittedAt(id: number, transmittedAt: string): void {
    this.#db.prepare('UPDATE transactions SET transmitted_at = ?, updated_at = ? WHERE id = ?').run(transmittedAt, this.#now().toISOString(), id);
  }

  row(id: number): JournalRow | undefined {
    const row = this.#db.prepare(`${SELECT_ROWS} WHERE t.id = ?`).get(id) as Row | undefined;
    return row && toRow(row);
  }

  /** The purchase with this RRN (DE37), as a refund names it. */
  purchaseByRrn(rrn: string): JournalRow | undefined {
    const row = this.#db.prepare(`${SELECT_ROWS} WHERE t.rrn = ? AND t.kind = 'purchase' ORDER BY t.id DESC LIMIT 1`).get(rrn) as Row | undefined;
    return row && toRow(row);
  }

  /** Purchases, refunds and balance inquiries a crash left pending: the host may or may not have acted on them. */
  pending(): JournalRow[] {
    const rows = this.#db.prepare(`${SELECT_ROWS} WHERE t.status = 'pending' AND t.kind <> 'reversal' ORDER BY t.id`).all() as unknown as Row[];
    return rows.map(toRow);
  }

  batchRows(batchId: number): JournalRow[] {
    const rows = this.#db.prepare(`${SELECT_ROWS} WHERE t.batch_id = ? ORDER BY t.id`).all(batchId) as unknown as Row[];
    return rows.map(toRow);
  }

  entry(id: number): JournalEntry | undefined {
    const row = this.row(id);
    return row && toEntry(row, this.openBatch().id);
  }

  recent(limit: number): JournalEntry[] {
    const rows = this.#db.prepare(`${SELECT_ROWS} ORDER BY t.id DESC LIMIT ?`).all(limit) as unknown as Row[];
    const openBatchId = this.openBatch().id;
    return rows.map((row) => toEntry(toRow(row), openBatchId));
  }

  /** The batch new transactions join. There is always exactly one. */
  openBatch(): BatchRecord {
    const row = this.#db.prepare("SELECT id, batch_number, opened_at FROM batches WHERE status = 'open'").get() as
      | { id: number; batch_number: string; opened_at: string }
      | undefined;
    if (row === undefined) throw new Error('the journal has no open batch');
    return { id: row.id, batchNumber: row.batch_number, openedAt: row.opened_at };
  }

  /** Closes the open batch with its report, forgets its PANs and opens the next number (999999 wraps to 000001). */
  closeBatch(batchId: number, settlement: SettlementResult, report: BatchReport): BatchRecord {
    const next = this.#closeAndOpen(batchId, settlement, report);
    // The batch's PANs are gone from the database; old WAL frames may still hold their sealed copies.
    this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    return next;
  }

  #closeAndOpen(batchId: number, settlement: SettlementResult, report: BatchReport): BatchRecord {
    return this.atomically(() => {
      const now = this.#now().toISOString();
      const open = this.openBatch();
      if (open.id !== batchId) throw new Error(`batch ${batchId} is not the open batch`);
      this.#db
        .prepare("UPDATE batches SET status = 'closed', closed_at = ?, settlement = ?, report = ? WHERE id = ?")
        .run(now, settlement, JSON.stringify({ ...report, closedAt: now, settlement }), batchId);
      this.vault.forgetBatch(batchId);
      const next = String((Number(open.batchNumber) % 999_999) + 1).padStart(6, '0');
      const id = Number(this.#db.prepare("INSERT INTO batches (batch_number, status, opened_at) VALUES (?, 'open', ?)").run(next, now).lastInsertRowid);
      return { id, batchNumber: next, openedAt: now };
    });
  }

  /** Closed batches' reports, newest first, exactly as they were closed. */
  closedBatches(limit: number): BatchReport[] {
    const rows = this.#db.prepare("SELECT report FROM batches WHERE status = 'closed' ORDER BY id DESC LIMIT ?").all(limit) as { report: string }[];
    return rows.map((row) => JSON.parse(row.report) as BatchReport);
  }

  close(): void {
    this.#db.close();
  }
}

function toRow(row: Row): JournalRow {
  return {
    id: row.id,
    paymentId: row.payment_id,
    createdAt: row.created_at,
    kind: row.kind,
    amount: money(row.amount_minor, row.currency),
    maskedPan: row.masked_pan,
    scheme: row.scheme,
    entryMode: row.entry_mode,
    terminalId: row.terminal_id,
    merchantId: row.merchant_id ?? undefined,
    processingCode: row.processing_code,
    stan: row.stan,
    transmittedAt: row.transmitted_at,
    localTime: row.local_time,
    localDate: row.local_date,
    status: row.status,
    responseCode: row.response_code ?? undefined,
    approvalCode: row.approval_code ?? undefined,
    rrn: row.rrn ?? undefined,
    batchId: row.batch_id ?? undefined,
    batchNumber: row.batch_number ?? undefined,
    originalId: row.original_id ?? undefined,
    originalRrn: row.original_rrn ?? undefined,
    reversalReason: row.reversal_reason ?? undefined,
    refundedMinor: row.refunded_minor,
  };
}

/** What is left to refund of a purchase: its amount less the refunds that stand or may stand. */
export function refundableOf(row: JournalRow): Money | undefined {
  if (row.kind !== 'purchase' || row.status !== 'approved' || row.rrn === undefined) return undefined;
  const left = row.amount.amountMinor - row.refundedMinor;
  return left > 0 ? money(left, row.amount.currency) : undefined;
}

/**
 * Whether a void may be sent: an approved purchase or refund of the open batch. A purchase with
 * refunds standing is not voidable (the host would refuse it with 12, and the cardholder would get
 * the refunded money twice); void the refunds first.
 */
export function isVoidable(row: JournalRow, openBatchId: number): boolean {
  if (row.status !== 'approved' || row.batchId !== openBatchId) return false;
  return row.kind === 'refund' || (row.kind === 'purchase' && row.refundedMinor === 0);
}

function toEntry(row: JournalRow, openBatchId: number): JournalEntry {
  const refundable = refundableOf(row);
  return {
    id: row.id,
    createdAt: row.createdAt,
    kind: row.kind,
    amount: row.amount,
    maskedPan: row.maskedPan,
    scheme: row.scheme,
    stan: row.stan,
    status: row.status,
    voidable: isVoidable(row, openBatchId),
    ...(row.responseCode === undefined ? {} : { responseCode: row.responseCode }),
    ...(row.approvalCode === undefined ? {} : { approvalCode: row.approvalCode }),
    ...(row.rrn === undefined ? {} : { rrn: row.rrn }),
    ...(row.batchNumber === undefined ? {} : { batchNumber: row.batchNumber }),
    ...(row.originalId === undefined ? {} : { originalId: row.originalId }),
    ...(row.originalRrn === undefined ? {} : { originalRrn: row.originalRrn }),
    ...(row.reversalReason === undefined ? {} : { reversalReason: row.reversalReason }),
    ...(refundable === undefined ? {} : { refundable }),
  };
}
