/**
 * How the card checks and the risk monitor reach the ledger database: the ledger's own connection,
 * to add their tables to, and its unit of work, so their writes join the request's unit and commit
 * with it (under group commit, a second connection would find the file locked by the open group).
 */
import type { DatabaseSync } from 'node:sqlite';

export interface LedgerConnection {
  readonly db: DatabaseSync;
  /** The ledger's atomically(): runs `work` in the current unit, or in a new one. */
  atomically<T>(work: () => T): T;
}
