/**
 * The risk log: one row per purchase of a card the host issued (DE39 14 is not one), with the risk
 * monitor's decision, its reasons and the final DE39, in the ledger database in its own table. It
 * is what a reviewer reads (bank/risk-review.ts) and what the monitor rebuilds its windows from
 * after a restart. Rows name the card by masked PAN and card hash only (card-hash.ts).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { LedgerConnection } from '../issuer/card-checks/ledger-connection.ts';

/** The monitor's decision; "skipped" when the card checks declined first and the rules never ran. */
export type RiskDecision = 'approve' | 'decline-59' | 'decline-05' | 'skipped';

export interface RiskLogEntry {
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly cardHash: string;
  readonly maskedPan: string;
  readonly tid: string;
  readonly stan: string;
  readonly amountMinor: number;
  /** DE49, ISO 4217 numeric. */
  readonly currency: string;
  readonly decision: RiskDecision;
  readonly responseCode: string;
  readonly reasons: readonly string[];
}

export interface RiskLog {
  append(entry: RiskLogEntry): void;
  /** Rows at or after `since` (ISO), oldest first. */
  since(since: string): RiskLogEntry[];
  /** The last `perCard` approved amounts of every card, oldest first, for the history rules. */
  approvedHistory(perCard: number): { cardHash: string; amountMinor: number }[];
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS risk_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    card_hash TEXT NOT NULL,
    masked_pan TEXT NOT NULL,
    tid TEXT NOT NULL,
    stan TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('approve', 'decline-59', 'decline-05', 'skipped')),
    response_code TEXT NOT NULL,
    -- JSON array of "<rule id>: <why>" strings.
    reasons TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS risk_log_at ON risk_log (at);
`;

interface Row {
  at: string;
  card_hash: string;
  masked_pan: string;
  tid: string;
  stan: string;
  amount_minor: number;
  currency: string;
  decision: RiskDecision;
  response_code: string;
  reasons: string;
}

export function createRiskLog({ db, atomically }: LedgerConnection): RiskLog {
  db.exec(SCHEMA);
  const insert = db.prepare(`
    INSERT INTO risk_log (at, card_hash, masked_pan, tid, stan, amount_minor, currency, decision, response_code, reasons)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const selectHistory = db.prepare(`
    SELECT card_hash, amount_minor FROM (
      SELECT id, card_hash, amount_minor, row_number() OVER (PARTITION BY card_hash ORDER BY id DESC) AS newest
      FROM risk_log WHERE response_code = '00'
    ) WHERE newest <= ? ORDER BY id`);

  return {
    append(entry) {
      atomically(() => insert.run(entry.at, entry.cardHash, entry.maskedPan, entry.tid, entry.stan, entry.amountMinor, entry.currency, entry.decision, entry.responseCode, JSON.stringify(entry.reasons)));
    },
    since: (since) => readRiskLog(db, since),
    approvedHistory(perCard) {
      return (selectHistory.all(perCard) as unknown as { card_hash: string; amount_minor: number }[]).map((row) => ({ cardHash: row.card_hash, amountMinor: row.amount_minor }));
    },
  };
}

/** For readers that must not create anything (the review CLI opens the file read-only). */
export function readRiskLog(db: DatabaseSync, since: string): RiskLogEntry[] {
  return (db.prepare('SELECT * FROM risk_log WHERE at >= ? ORDER BY id').all(since) as unknown as Row[]).map(fromRow);
}

function fromRow(row: Row): RiskLogEntry {
  return {
    at: row.at,
    cardHash: row.card_hash,
    maskedPan: row.masked_pan,
    tid: row.tid,
    stan: row.stan,
    amountMinor: row.amount_minor,
    currency: row.currency,
    decision: row.decision,
    responseCode: row.response_code,
    reasons: JSON.parse(row.reasons) as string[],
  };
}
