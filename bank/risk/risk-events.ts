/**
 * Risk events that are not a purchase's risk decision (those are in risk-log.ts): today, a terminal
 * ID signing on from a second live connection (server/terminal-sessions.ts), which is either a
 * misconfigured second till or someone impersonating a terminal. In the ledger database, in their
 * own table, read by the review CLI (bank/risk-review.ts).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { LedgerConnection } from '../issuer/card-checks/ledger-connection.ts';

export const RISK_EVENT_KINDS = ['terminal-already-signed-on'] as const;
export type RiskEventKind = (typeof RISK_EVENT_KINDS)[number];

export interface RiskEvent {
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly kind: RiskEventKind;
  readonly tid: string;
  readonly detail: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS risk_events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN (${RISK_EVENT_KINDS.map((kind) => `'${kind}'`).join(', ')})),
    tid TEXT NOT NULL,
    detail TEXT NOT NULL
  ) STRICT;
`;

export function createRiskEvents({ db, atomically }: LedgerConnection): { append(event: RiskEvent): void } {
  db.exec(SCHEMA);
  const insert = db.prepare('INSERT INTO risk_events (at, kind, tid, detail) VALUES (?, ?, ?, ?)');
  return {
    append(event) {
      atomically(() => insert.run(event.at, event.kind, event.tid, event.detail));
    },
  };
}

/** For readers that must not create anything: no table yet reads as no events. */
export function readRiskEvents(db: DatabaseSync, since: string): RiskEvent[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'risk_events'").get() !== undefined;
  if (!exists) return [];
  return db.prepare('SELECT at, kind, tid, detail FROM risk_events WHERE at >= ? ORDER BY id').all(since) as unknown as RiskEvent[];
}
