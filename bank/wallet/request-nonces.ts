/**
 * The replay guard: every signed request's nonce, per signer, kept for twice the timestamp window
 * (a request older than the window is refused as stale anyway, so nothing older need be kept). In
 * the ledger, written in the request's unit, so a restart does not reopen the window.
 */
import type { DatabaseSync } from 'node:sqlite';

export interface RequestNonces {
  /** Records the nonce; false when the signer already used it inside the window. */
  claim(principal: string, nonce: string, nowMs: number): boolean;
}

export function prepareRequestNonces(db: DatabaseSync, keepMs: number): RequestNonces {
  const insert = db.prepare('INSERT INTO wallet_nonces (principal, nonce, seen_at_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const purge = db.prepare('DELETE FROM wallet_nonces WHERE seen_at_ms < ?');
  let lastPurgeMs = 0;
  return {
    claim(principal, nonce, nowMs) {
      // A purge at most every few seconds keeps the table at about one window of traffic.
      if (nowMs - lastPurgeMs > 5_000) {
        purge.run(nowMs - keepMs);
        lastPurgeMs = nowMs;
      }
      return Number(insert.run(principal, nonce, nowMs).changes) === 1;
    },
  };
}
