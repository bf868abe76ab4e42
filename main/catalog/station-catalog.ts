/**
 * The station's catalog: the store on disk and the version in memory that sales, scans and the
 * checkout read. This is the interface a head office's price list arrives through:
 *
 *   apply({ source: 'head_office', version, items })
 *
 * checks every item (the same rules as a file import, every bad row named), computes the pinyin
 * initials, writes the version in one transaction and swaps the in-memory catalog in one step. A
 * sale already paying was priced when it started and is not touched; the caller applies between
 * sales. Once a head office's price list is applied, a local import is refused: the head office
 * owns the catalog. Applying the version already current again changes nothing, so a retried
 * hand-over is harmless.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Product } from '../../common/catalog.ts';
import { Catalog } from './catalog.ts';
import { itemsFromJson, type RowError } from './catalog-rows.ts';
import { CATALOG_FILE_NAME, CatalogStore, type CatalogSource, type CatalogVersion } from './catalog-store.ts';
import { readCatalogFile } from './catalog-file.ts';
import { pinyinInitials } from './pinyin-initials.ts';

export interface CatalogSnapshot {
  readonly source: CatalogSource;
  /** The price list's version; for a local import, leave it out and a content hash is used. */
  readonly version?: string;
  readonly items: readonly Product[];
  readonly note?: string;
}

/** A snapshot with bad items: nothing was applied. */
export class CatalogRejectedError extends Error {
  override readonly name = 'CatalogRejectedError';
  readonly errors: readonly RowError[];

  constructor(errors: readonly RowError[]) {
    super(`${errors.length} item(s) are not valid; nothing was applied`);
    this.errors = errors;
  }
}

/** A local catalog on a station whose catalog the head office owns. */
export class CatalogOwnedByHeadOfficeError extends Error {
  override readonly name = 'CatalogOwnedByHeadOfficeError';
}

export interface StationCatalogOptions {
  readonly dataDir: string;
  /** The catalog file a new data directory starts with (the shipped demo catalog); none for the import command. */
  readonly seedFile?: string;
  readonly log?: (line: string) => void;
  readonly now?: () => Date;
}

export class StationCatalog {
  readonly #store: CatalogStore;
  readonly #now: () => Date;
  readonly #log: (line: string) => void;
  #catalog: Catalog;

  constructor(options: StationCatalogOptions) {
    this.#store = new CatalogStore(join(options.dataDir, CATALOG_FILE_NAME));
    this.#now = options.now ?? (() => new Date());
    this.#log = options.log ?? (() => undefined);
    this.#catalog = new Catalog(this.#store.items());
    if (this.#store.current() === undefined && options.seedFile !== undefined) this.#seed(options.seedFile);
  }

  /** The catalog now; picks up a version another process (the import command) wrote meanwhile. */
  current(): Catalog {
    if (this.#store.changedElsewhere()) {
      this.#catalog = new Catalog(this.#store.items());
      const version = this.#store.current();
      this.#log(`catalog: version ${version?.version ?? '?'} (${version?.source ?? '?'}, ${this.#catalog.size} items) loaded`);
    }
    return this.#catalog;
  }

  version(): CatalogVersion | undefined {
    return this.#store.current();
  }

  apply(snapshot: CatalogSnapshot): CatalogVersion {
    const current = this.#store.current();
    if (snapshot.source !== 'head_office' && current?.source === 'head_office') {
      throw new CatalogOwnedByHeadOfficeError(
        `this station takes its catalog from the head office (price list ${current.version}, applied ${current.appliedAt}); a local catalog is for stations without one`,
      );
    }
    const { items, errors } = itemsFromJson(snapshot.items.map(({ initials: _computedHere, ...item }) => item));
    if (errors.length > 0) throw new CatalogRejectedError(errors);
    const version = snapshot.version ?? contentVersion(items);
    if (current && current.source === snapshot.source && current.version === version && snapshot.source === 'head_office') return current;
    const applied = this.#store.replace(
      snapshot.source,
      version,
      items.map((item) => ({ ...item, initials: pinyinInitials(item.name['zh-CN']) })),
      snapshot.note,
      this.#now(),
    );
    this.#catalog = new Catalog(this.#store.items());
    return applied;
  }

  close(): void {
    this.#store.close();
  }

  #seed(file: string): void {
    const { items, errors } = readCatalogFile(file);
    if (errors.length > 0) throw new Error(`the seed catalog ${file} has bad rows: ${errors.length}`);
    const applied = this.apply({ source: 'demo', items, note: file });
    this.#log(`catalog: new data directory seeded with the demo catalog (${applied.itemCount} items)`);
  }
}

/** A local catalog's version: the first 12 hex digits of the SHA-256 of its items, so the same file gives the same version. */
function contentVersion(items: readonly Product[]): string {
  return `local-${createHash('sha256').update(JSON.stringify(items)).digest('hex').slice(0, 12)}`;
}
