/**
 * The replay guard: every signed request's (timestamp, signer, nonce), kept while its timestamp is
 * inside the window (a request outside it is refused as stale anyway). A replay repeats the signed
 * timestamp, so that triple is what must be unique; leading the key with the timestamp keeps the
 * inserts at the end of the tree. In the ledger, written in the request's unit, so a restart does
 * not reopen the window.
 */
import type { DatabaseSync } from 'node:sqlite';

export interface RequestNonces {
  /** Records the nonce; false when the signer already used it with this timestamp. */
  claim(principal: string, nonce: string, timestampSeconds: number, nowMs: number): boolean;
}

export function prepareRequestNonces(db: DatabaseSync, windowSeconds: number): RequestNonces {
  const insert = db.prepare('INSERT INTO wallet_nonces (timestamp, principal, nonce) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const purge = db.prepare('DELETE FROM wallet_nonces WHERE timestamp < ?');
  let lastPurgeMs = 0;
  return {
    claim(principal, nonce, timestampSeconds, nowMs) {
      // A purge at most every few seconds keeps the table at about one window of traffic.
      if (nowMs - lastPurgeMs > 5_000) {
        purge.run(Math.floor(nowMs / 1000) - windowSeconds - 1);
        lastPurgeMs = nowMs;
      }
      return Number(insert.run(timestampSeconds, principal, nonce).changes) === 1;
    },
  };
}
