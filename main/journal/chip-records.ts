/**
 * What the journal keeps of a chip or contactless card leg (issue #9): the entry mode, the AID, the
 * application label, the TVR, the TSI, the cryptogram type, the CVM performed, a whitelist of ICC
 * tags (payments/emv/kernel/icc-data.ts JOURNAL_ICC_TAGS: never 57, 5A, 56, 9F6B, 9F1F) and the
 * issuer scripts' results (DF31), which go to the host in the next chip request and are then marked
 * reported. Never the raw DE55, never a PIN block. One row per leg, keyed by the leg's id.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { ChipRecord } from '../../payments/emv/kernel/ports.ts';

export const CHIP_RECORDS_SCHEMA_SQL = `
  CREATE TABLE card_leg_chip (
    leg_id            INTEGER PRIMARY KEY REFERENCES card_legs (id),
    entry_mode        TEXT NOT NULL CHECK (entry_mode IN ('contact', 'contactless')),
    aid               TEXT NOT NULL CHECK (aid GLOB '[0-9A-F]*' AND length(aid) BETWEEN 10 AND 32),
    application_label TEXT NOT NULL,
    tvr               TEXT NOT NULL CHECK (length(tvr) = 10),
    tsi               TEXT NOT NULL CHECK (length(tsi) = 4),
    ac_type           TEXT NOT NULL CHECK (ac_type IN ('TC', 'AAC', 'ARQC')),
    cvm               TEXT NOT NULL CHECK (cvm IN ('online_pin', 'signature', 'no_cvm', 'failed')),
    -- JSON object of the whitelisted tags (hex values).
    icc_data          TEXT NOT NULL,
    -- DF31 (hex) when the card ran issuer scripts; reported once a later request carried it.
    script_results    TEXT,
    scripts_reported  INTEGER NOT NULL DEFAULT 0 CHECK (scripts_reported IN (0, 1))
  );
  CREATE INDEX card_leg_chip_unreported ON card_leg_chip (leg_id) WHERE script_results IS NOT NULL AND scripts_reported = 0;
`;

/** A leg's chip record as the receipt and the sale detail read it. */
export type ChipLegRecord = Pick<ChipRecord, 'entryMode' | 'aid' | 'applicationLabel' | 'tvr' | 'tsi' | 'acType' | 'cvm' | 'iccData'> & { readonly legId: number };

interface ChipSqlRow {
  leg_id: number;
  entry_mode: 'contact' | 'contactless';
  aid: string;
  application_label: string;
  tvr: string;
  tsi: string;
  ac_type: 'TC' | 'AAC' | 'ARQC';
  cvm: ChipRecord['cvm'];
  icc_data: string;
}

export class ChipRecords {
  readonly #insert;
  readonly #byLeg;
  readonly #unreported;
  readonly #markReported;

  constructor(db: DatabaseSync) {
    this.#insert = db.prepare(
      `INSERT INTO card_leg_chip (leg_id, entry_mode, aid, application_label, tvr, tsi, ac_type, cvm, icc_data, script_results)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (leg_id) DO UPDATE SET tvr = excluded.tvr, tsi = excluded.tsi, ac_type = excluded.ac_type, cvm = excluded.cvm,
         icc_data = excluded.icc_data, script_results = excluded.script_results`,
    );
    this.#byLeg = db.prepare('SELECT leg_id, entry_mode, aid, application_label, tvr, tsi, ac_type, cvm, icc_data FROM card_leg_chip WHERE leg_id = ?');
    this.#unreported = db.prepare('SELECT leg_id, script_results FROM card_leg_chip WHERE script_results IS NOT NULL AND scripts_reported = 0 ORDER BY leg_id');
    this.#markReported = db.prepare('UPDATE card_leg_chip SET scripts_reported = 1 WHERE leg_id = ?');
  }

  /** Keeps what the kernel ended with for `legId` (once more, with the final values, after the second GENERATE AC). */
  record(legId: number, record: ChipRecord, scriptResults: Buffer | undefined): void {
    this.#insert.run(legId, record.entryMode, record.aid, record.applicationLabel, record.tvr, record.tsi, record.acType, record.cvm, JSON.stringify(record.iccData), scriptResults?.toString('hex').toUpperCase() ?? null);
  }

  ofLeg(legId: number): ChipLegRecord | undefined {
    const row = this.#byLeg.get(legId) as ChipSqlRow | undefined;
    if (!row) return undefined;
    return { legId: row.leg_id, entryMode: row.entry_mode, aid: row.aid, applicationLabel: row.application_label, tvr: row.tvr, tsi: row.tsi, acType: row.ac_type, cvm: row.cvm, iccData: JSON.parse(row.icc_data) as Record<string, string> };
  }

  /** Script results not yet reported to the host (DF31 values, oldest first), with the legs they came from. */
  unreportedScriptResults(): { legId: number; df31: Buffer }[] {
    return (this.#unreported.all() as { leg_id: number; script_results: string }[]).map((row) => ({ legId: row.leg_id, df31: Buffer.from(row.script_results, 'hex') }));
  }

  markReported(legIds: readonly number[]): void {
    for (const id of legIds) this.#markReported.run(id);
  }
}
