/**
 * The transaction journal, in SQLite (node:sqlite). A transaction is written before its request
 * goes to the host and updated with the response, so a crash at any point leaves a row that says
 * exactly how far it got. Only the masked PAN is stored: never the full PAN, track data, PIN block
 * or CVV (PCI DSS 3.2, 3.3).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { CardScheme } from '../../common/card/scheme.ts';
import type { JournalEntry } from '../../common/ipc/checkout-contract.ts';
import type { Money } from '../../common/money.ts';

export type JournalStatus = JournalEntry['status'];

export interface PendingTransaction {
  readonly paymentId: string;
  readonly kind: 'purchase';
  readonly amount: Money;
  readonly maskedPan: string;
  readonly scheme: CardScheme;
  readonly entryMode: string;
  readonly terminalId: string;
  readonly stan: string;
  /** DE7 as sent, MMDDhhmmss UTC. */
  readonly transmittedAt: string;
}

export interface TransactionOutcome {
  readonly status: Exclude<JournalStatus, 'pending'>;
  readonly responseCode?: string;
  readonly approvalCode?: string;
  readonly rrn?: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS transactions (
    id            INTEGER PRIMARY KEY,
    payment_id    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('purchase')),
    amount_minor  INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency      TEXT NOT NULL,
    masked_pan    TEXT NOT NULL CHECK (masked_pan GLOB '[0-9]*[*]*[0-9]' OR masked_pan GLOB '[*]*'),
    scheme        TEXT NOT NULL,
    entry_mode    TEXT NOT NULL,
    terminal_id   TEXT NOT NULL,
    stan          TEXT NOT NULL,
    transmitted_at TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'failed')),
    response_code TEXT,
    approval_code TEXT,
    rrn           TEXT
  );
  CREATE INDEX IF NOT EXISTS transactions_status ON transactions (status);
  CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

interface Row {
  id: number;
  created_at: string;
  kind: 'purchase';
  amount_minor: number;
  currency: Money['currency'];
  masked_pan: string;
  scheme: CardScheme;
  stan: string;
  status: JournalStatus;
  response_code: string | null;
  approval_code: string | null;
  rrn: string | null;
}

export class Journal {
  readonly #db: DatabaseSync;
  readonly #now: () => Date;

  constructor(path: string, now: () => Date = () => new Date()) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#now = now;
    // WAL with synchronous=FULL: a committed row survives a power cut, and readers never block the writer.
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
    this.#db.exec(SCHEMA);
  }

  /** The next system trace audit number (DE11), 000001–999999, persisted so a restart never reuses one. */
  nextStan(): string {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const row = this.#db.prepare("SELECT value FROM counters WHERE name = 'stan'").get() as { value: number } | undefined;
      const next = ((row?.value ?? 0) % 999_999) + 1;
      this.#db.prepare("INSERT INTO counters (name, value) VALUES ('stan', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value").run(next);
      this.#db.exec('COMMIT');
      return String(next).padStart(6, '0');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Written before the request leaves the station. */
  recordPending(transaction: PendingTransaction): number {
    const now = this.#now().toISOString();
    const result = this.#db
      .prepare(
        `INSERT INTO transactions (payment_id, created_at, updated_at, kind, amount_minor, currency, masked_pan, scheme, entry_mode, terminal_id, stan, transmitted_at, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
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
        transaction.stan,
        transaction.transmittedAt,
      );
    return Number(result.lastInsertRowid);
  }

  /** Records the host's answer (or the failure to get one) on a pending row. */
  complete(id: number, outcome: TransactionOutcome): void {
    const changes = this.#db
      .prepare(`UPDATE transactions SET status = ?, response_code = ?, approval_code = ?, rrn = ?, updated_at = ? WHERE id = ? AND status = 'pending'`)
      .run(outcome.status, outcome.responseCode ?? null, outcome.approvalCode ?? null, outcome.rrn ?? null, this.#now().toISOString(), id).changes;
    if (Number(changes) !== 1) throw new Error(`journal row ${id} is not pending`);
  }

  recent(limit: number): JournalEntry[] {
    const rows = this.#db.prepare('SELECT * FROM transactions ORDER BY id DESC LIMIT ?').all(limit) as unknown as Row[];
    return rows.map(toEntry);
  }

  /** Rows a crash left pending: the host may or may not have acted on them. */
  pending(): JournalEntry[] {
    const rows = this.#db.prepare("SELECT * FROM transactions WHERE status = 'pending' ORDER BY id").all() as unknown as Row[];
    return rows.map(toEntry);
  }

  close(): void {
    this.#db.close();
  }
}

function toEntry(row: Row): JournalEntry {
  return {
    id: row.id,
    createdAt: row.created_at,
    kind: row.kind,
    amount: { amountMinor: row.amount_minor, currency: row.currency },
    maskedPan: row.masked_pan,
    scheme: row.scheme,
    stan: row.stan,
    status: row.status,
    ...(row.response_code === null ? {} : { responseCode: row.response_code }),
    ...(row.approval_code === null ? {} : { approvalCode: row.approval_code }),
    ...(row.rrn === null ? {} : { rrn: row.rrn }),
  };
}
