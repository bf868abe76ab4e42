/**
 * The PIN try counter's storage: one row per card with wrong PINs in a row, in the ledger database
 * in its own table, keyed by the deck's card id (never the PAN). A count belongs to the issuer's
 * calendar day (host local time, as card expiry) of its last wrong PIN, and starts again the next
 * day: the usual daily reset of an issuer PIN try counter. The rules that use it are in pin-check.ts.
 */
import type { LedgerConnection } from './ledger-connection.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS pin_tries (
    card_id TEXT PRIMARY KEY,
    wrong_in_row INTEGER NOT NULL CHECK (wrong_in_row > 0),
    -- Issuer calendar day (YYYY-MM-DD, host local time) of the last wrong PIN.
    day TEXT NOT NULL
  ) STRICT;
`;

export interface PinTryCounter {
  /** Wrong PINs in a row on `now`'s day; 0 after a reset or on a new day. */
  wrongInRow(cardId: string, now: Date): number;
  /** Counts one more wrong PIN and returns the new count. */
  recordWrong(cardId: string, now: Date): number;
  reset(cardId: string): void;
}

export function createPinTryCounter({ db, atomically }: LedgerConnection): PinTryCounter {
  db.exec(SCHEMA);
  const select = db.prepare('SELECT wrong_in_row, day FROM pin_tries WHERE card_id = ?');
  const increment = db.prepare(`
    INSERT INTO pin_tries (card_id, wrong_in_row, day) VALUES (?, 1, ?)
    ON CONFLICT (card_id) DO UPDATE SET
      wrong_in_row = CASE WHEN day = excluded.day THEN wrong_in_row + 1 ELSE 1 END,
      day = excluded.day
    RETURNING wrong_in_row`);
  const remove = db.prepare('DELETE FROM pin_tries WHERE card_id = ?');

  return {
    wrongInRow(cardId, now) {
      const row = select.get(cardId) as { wrong_in_row: number; day: string } | undefined;
      return row !== undefined && row.day === issuerDay(now) ? row.wrong_in_row : 0;
    },
    recordWrong(cardId, now) {
      return atomically(() => (increment.get(cardId, issuerDay(now)) as { wrong_in_row: number }).wrong_in_row);
    },
    reset(cardId) {
      atomically(() => remove.run(cardId));
    },
  };
}

function issuerDay(now: Date): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
