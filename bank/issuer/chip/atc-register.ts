/**
 * The last application transaction counter (ATC) the issuer saw per card, in the ledger database in
 * its own table, keyed by deck card id (never the PAN). A card's ATC only goes up: an ARQC whose ATC
 * is not above the last one seen is a replay (or a cloned chip) and a risk signal.
 */
import type { LedgerConnection } from '../card-checks/ledger-connection.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS chip_atc (
    card_id TEXT PRIMARY KEY,
    last_atc INTEGER NOT NULL CHECK (last_atc BETWEEN 0 AND 65535)
  ) STRICT;
`;

export interface AtcRegister {
  lastSeen(cardId: string): number | undefined;
  record(cardId: string, atc: number): void;
}

export function createAtcRegister({ db, atomically }: LedgerConnection): AtcRegister {
  db.exec(SCHEMA);
  const select = db.prepare('SELECT last_atc FROM chip_atc WHERE card_id = ?');
  const upsert = db.prepare('INSERT INTO chip_atc (card_id, last_atc) VALUES (?, ?) ON CONFLICT (card_id) DO UPDATE SET last_atc = MAX(last_atc, excluded.last_atc)');
  return {
    lastSeen: (cardId) => (select.get(cardId) as { last_atc: number } | undefined)?.last_atc,
    record: (cardId, atc) => void atomically(() => upsert.run(cardId, atc)),
  };
}
