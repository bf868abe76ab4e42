/**
 * The catalog on disk: catalog.sqlite in the data directory. One table of items, and the history of
 * the versions applied (where each came from: the demo seed, a local import, a head office's price
 * list). A new version replaces every item in one transaction, so a kill -9 at any point leaves the
 * previous version or the new one, never a mix. Another process (the import command) may write the
 * file while the station runs; `changedElsewhere()` tells the station to reload.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Product } from '../../common/catalog.ts';
import type { CurrencyCode } from '../../common/money.ts';
import type { VatRateBp } from '../../common/catalog.ts';
import { migrate } from '../../common-node/sqlite-migrations.ts';

export const CATALOG_FILE_NAME = 'catalog.sqlite';

export const CATALOG_SOURCES = ['demo', 'import', 'head_office'] as const;
export type CatalogSource = (typeof CATALOG_SOURCES)[number];

export interface CatalogVersion {
  readonly id: number;
  readonly source: CatalogSource;
  /** The head office's price list version, or a content hash for a local import. */
  readonly version: string;
  readonly appliedAt: string;
  readonly itemCount: number;
  /** What a person should know: the imported file's name, rows skipped. */
  readonly note?: string;
}

const MIGRATIONS = [
  `CREATE TABLE catalog_versions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     source TEXT NOT NULL CHECK (source IN ('demo', 'import', 'head_office')),
     version TEXT NOT NULL,
     applied_at TEXT NOT NULL,
     item_count INTEGER NOT NULL CHECK (item_count >= 0),
     note TEXT
   );
   CREATE TABLE catalog_items (
     position INTEGER PRIMARY KEY,
     sku TEXT NOT NULL UNIQUE,
     gtin TEXT UNIQUE,
     name_zh TEXT NOT NULL,
     name_en TEXT NOT NULL,
     category TEXT NOT NULL,
     price_minor INTEGER NOT NULL CHECK (price_minor > 0),
     currency TEXT NOT NULL,
     vat_rate_bp INTEGER NOT NULL CHECK (vat_rate_bp IN (1300, 900, 600, 0)),
     active INTEGER NOT NULL CHECK (active IN (0, 1)),
     initials TEXT NOT NULL
   );`,
];

/** The schema version this build migrates catalog.sqlite to (backups check a restored file against it). */
export const CATALOG_SCHEMA_VERSION = MIGRATIONS.length;

interface ItemRow {
  sku: string;
  gtin: string | null;
  name_zh: string;
  name_en: string;
  category: string;
  price_minor: number;
  currency: string;
  vat_rate_bp: number;
  active: number;
  initials: string;
}

interface VersionRow {
  id: number;
  source: CatalogSource;
  version: string;
  applied_at: string;
  item_count: number;
  note: string | null;
}

export class CatalogStore {
  readonly #db: DatabaseSync;
  #dataVersion: number;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    // The import command may write while the station reads: wait for the other writer instead of failing.
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
    migrate(this.#db, { name: 'catalog', owner: 'this station', migrations: MIGRATIONS });
    this.#dataVersion = this.#readDataVersion();
  }

  current(): CatalogVersion | undefined {
    const row = this.#db.prepare('SELECT * FROM catalog_versions ORDER BY id DESC LIMIT 1').get() as VersionRow | undefined;
    return row ? versionOf(row) : undefined;
  }

  /** Every item of the current version, in catalog order, initials included. */
  items(): Product[] {
    const rows = this.#db.prepare('SELECT * FROM catalog_items ORDER BY position').all() as unknown as ItemRow[];
    return rows.map((row) => ({
      sku: row.sku,
      ...(row.gtin === null ? {} : { gtin: row.gtin }),
      name: { 'zh-CN': row.name_zh, en: row.name_en },
      price: { amountMinor: row.price_minor, currency: row.currency as CurrencyCode },
      vatRateBp: row.vat_rate_bp as VatRateBp,
      category: row.category,
      active: row.active === 1,
      initials: row.initials,
    }));
  }

  /** Replaces every item and records the version, in one transaction. Items carry their initials. */
  replace(source: CatalogSource, version: string, items: readonly (Product & { initials: string })[], note: string | undefined, appliedAt: Date): CatalogVersion {
    const insert = this.#db.prepare(
      `INSERT INTO catalog_items (position, sku, gtin, name_zh, name_en, category, price_minor, currency, vat_rate_bp, active, initials)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#db.exec('DELETE FROM catalog_items');
      items.forEach((item, position) =>
        insert.run(position, item.sku, item.gtin ?? null, item.name['zh-CN'], item.name.en, item.category, item.price.amountMinor, item.price.currency, item.vatRateBp, item.active ? 1 : 0, item.initials),
      );
      this.#db.prepare('INSERT INTO catalog_versions (source, version, applied_at, item_count, note) VALUES (?, ?, ?, ?, ?)').run(source, version, appliedAt.toISOString(), items.length, note ?? null);
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
    this.#dataVersion = this.#readDataVersion();
    return this.current() as CatalogVersion;
  }

  /** Whether another connection (the import command) committed since this one last looked. */
  changedElsewhere(): boolean {
    const now = this.#readDataVersion();
    const changed = now !== this.#dataVersion;
    this.#dataVersion = now;
    return changed;
  }

  close(): void {
    this.#db.close();
  }

  #readDataVersion(): number {
    return (this.#db.prepare('PRAGMA data_version').get() as { data_version: number }).data_version;
  }
}

function versionOf(row: VersionRow): CatalogVersion {
  return { id: row.id, source: row.source, version: row.version, appliedAt: row.applied_at, itemCount: row.item_count, ...(row.note === null ? {} : { note: row.note }) };
}
