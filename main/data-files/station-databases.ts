/**
 * The one place the counter-PC tools (support bundle, backup, restore) know about the station's
 * databases: where the journal, the catalog and the bundled host's ledger live, which schema version this build
 * reads (the migration plans' own counts), and what they may read out of the journal, through its
 * public API: the newest card legs (the redacted summary, masked PAN only, as the checkout's sale
 * detail shows them) and the store-and-forward backlog (no card data: profile v4's reversals carry none).
 *
 * When the journal changes shape, this file is what changes with it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { LEDGER_FILE_NAME } from '../../bank/ledger/ledger.ts';
import { LEDGER_SCHEMA_VERSION } from '../../bank/ledger/schema.ts';
import { LEDGER_LOCK_FILE } from '../../bank/ledger/ledger-lock.ts';
import type { CardLeg, SaleSummary } from '../../common/sale/model.ts';
import { CATALOG_FILE_NAME, CATALOG_SCHEMA_VERSION } from '../catalog/catalog-store.ts';
import { schemaVersion } from '../../common-node/sqlite-migrations.ts';
import type { OutboxBacklog } from '../head-office/outbox.ts';
import { toCardLeg } from '../journal/card-leg-row.ts';
import { Journal } from '../journal/journal.ts';
import { JOURNAL_SCHEMA_VERSION } from '../journal/journal-schema.ts';

export const DATABASE_NAMES = ['journal', 'catalog', 'ledger'] as const;
export type DatabaseName = (typeof DATABASE_NAMES)[number];

export interface StationDatabase {
  readonly name: DatabaseName;
  /** Relative to the data directory, with forward slashes (also the path inside a backup). */
  readonly relativePath: string;
  /** The schema version this build migrates the file to. */
  readonly schemaVersion: number;
  /** The lock whose holder writes the file, relative to the data directory. */
  readonly lockFile: string;
}

export const STATION_DATABASES: readonly StationDatabase[] = [
  { name: 'journal', relativePath: 'journal.sqlite', schemaVersion: JOURNAL_SCHEMA_VERSION, lockFile: 'station.lock' },
  // The items the merchant imported or the head office sent: a new PC would otherwise start from the demo catalog.
  { name: 'catalog', relativePath: CATALOG_FILE_NAME, schemaVersion: CATALOG_SCHEMA_VERSION, lockFile: 'station.lock' },
  { name: 'ledger', relativePath: `bank/${LEDGER_FILE_NAME}`, schemaVersion: LEDGER_SCHEMA_VERSION, lockFile: `bank/${LEDGER_LOCK_FILE}` },
];

export function databaseNamed(name: DatabaseName): StationDatabase {
  return STATION_DATABASES.find((database) => database.name === name)!;
}

export function databasePath(dataDir: string, database: StationDatabase): string {
  return join(dataDir, ...database.relativePath.split('/'));
}

/** A database file's schema version (PRAGMA user_version), read without changing anything. */
export function fileSchemaVersion(path: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return schemaVersion(db);
  } finally {
    db.close();
  }
}

export interface JournalExcerpt {
  readonly schemaVersion: number;
  /** The newest sales as the transactions view lists them (status, totals, each tender's type, state and amount), newest first: no card data. */
  readonly sales: readonly SaleSummary[];
  /** The newest card legs (each ISO 8583 exchange of a card tender, a balance inquiry), newest first: masked PAN only. */
  readonly entries: readonly CardLeg[];
  /** The store-and-forward queue, oldest first: what the station still has to deliver. */
  readonly backlog: readonly { readonly legId: number; readonly mti: string; readonly attempts: number; readonly fields: Readonly<Record<number, string>> }[];
  /** Events the head office has not acknowledged yet (the journal's outbox). */
  readonly headOfficeBacklog: OutboxBacklog;
}

/**
 * Reads the journal of a data directory, the station running or not. A journal of another schema
 * version than this build's is not opened (opening it would migrate it): the excerpt says why.
 */
export function readJournalExcerpt(dataDir: string, lastEntries: number): JournalExcerpt | { readonly unreadable: string } {
  const journal = databaseNamed('journal');
  const path = databasePath(dataDir, journal);
  if (!existsSync(path)) return { unreadable: 'no journal yet' };
  const version = fileSchemaVersion(path);
  if (version !== journal.schemaVersion) return { unreadable: `journal schema version ${version}; this build reads version ${journal.schemaVersion}` };
  const opened = new Journal(path);
  try {
    return {
      schemaVersion: version,
      sales: opened.sales.page(undefined, lastEntries),
      entries: opened.legs.recent(lastEntries).map(toCardLeg),
      backlog: opened.saf.items().map(({ legId, mti, attempts, fields }) => ({ legId, mti, attempts, fields })),
      headOfficeBacklog: opened.outbox.backlog(),
    };
  } finally {
    opened.close();
  }
}
