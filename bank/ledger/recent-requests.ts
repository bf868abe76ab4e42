/**
 * The requests the host answered within the duplicate window, kept in the ledger so a restart of
 * the host inside the window still recognises a retransmission, and recorded in the same unit of
 * work as the request's effect: a request is remembered exactly when its effect is.
 */
import type { DatabaseSync } from 'node:sqlite';

export interface RecentRequests {
  /**
   * Records `key` as answered at `nowMs`. Returns false, recording nothing, when the same key was
   * answered less than `windowMs` before: the request is a duplicate.
   */
  remember(key: string, nowMs: number, windowMs: number): boolean;
}

/** Expired keys are deleted at most this often; an expired key left in place is simply overwritten. */
const PURGE_INTERVAL_MS = 60_000;

export function prepareRecentRequests(db: DatabaseSync): RecentRequests {
  // One statement decides and records: a new key inserts, an expired one is overwritten, and a key
  // still inside the window is left alone, which changes no row.
  const remember = db.prepare(`
    INSERT INTO recent_requests (request_key, answered_at_ms) VALUES (?1, ?2)
    ON CONFLICT (request_key) DO UPDATE SET answered_at_ms = excluded.answered_at_ms WHERE answered_at_ms <= ?3`);
  const purge = db.prepare('DELETE FROM recent_requests WHERE answered_at_ms <= ?');
  let lastPurgeMs = Number.NEGATIVE_INFINITY;

  return {
    remember(key, nowMs, windowMs) {
      const expiredBefore = nowMs - windowMs;
      if (nowMs - lastPurgeMs >= PURGE_INTERVAL_MS) {
        purge.run(expiredBefore);
        lastPurgeMs = nowMs;
      }
      return Number(remember.run(key, nowMs, expiredBefore).changes) === 1;
    },
  };
}
