/**
 * The last application transaction counter (ATC) the issuer saw per card, in the ledger database in
 * its own table, keyed by deck card id (never the PAN). A card's ATC only goes up: an ARQC whose ATC
 * is not above the last one seen is a replay (or a cloned chip) and a risk signal.
 *
 * Reads come from a bounded in-memory copy, filled from the table on a miss, so a chip request costs
 * one write rather than a read and a write. The copy is written through when an ATC is recorded, in
 * the request's unit of work; should that unit roll back, the copy is ahead of the table, which only
 * ever makes the check stricter (the same ATC sent again is a replay), never looser.
 */
import { LruCache } from '../../../payments/crypto/lru-cache.ts';
import type { LedgerConnection } from '../card-checks/ledger-connection.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS chip_atc (
    card_id TEXT PRIMARY KEY,
    last_atc INTEGER NOT NULL CHECK (last_atc BETWEEN 0 AND 65535)
  ) STRICT;
`;

/** Cards whose last ATC is kept in memory; beyond it the least recently seen are read again. */
const CACHED_CARDS = 65_536;
/** A card the table has no row for. */
const NONE = -1;

export interface AtcRegister {
  lastSeen(cardId: string): number | undefined;
  record(cardId: string, atc: number): void;
}

export function createAtcRegister({ db, atomically }: LedgerConnection): AtcRegister {
  db.exec(SCHEMA);
  const select = db.prepare('SELECT last_atc FROM chip_atc WHERE card_id = ?');
  const upsert = db.prepare('INSERT INTO chip_atc (card_id, last_atc) VALUES (?, ?) ON CONFLICT (card_id) DO UPDATE SET last_atc = MAX(last_atc, excluded.last_atc)');
  const known = new LruCache<string, number>(CACHED_CARDS);
  return {
    lastSeen(cardId) {
      let last = known.get(cardId);
      if (last === undefined) {
        last = (select.get(cardId) as { last_atc: number } | undefined)?.last_atc ?? NONE;
        known.set(cardId, last);
      }
      return last === NONE ? undefined : last;
    },
    record(cardId, atc) {
      atomically(() => upsert.run(cardId, atc));
      known.set(cardId, Math.max(atc, known.get(cardId) ?? NONE));
    },
  };
}
