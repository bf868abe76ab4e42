/**
 * The demo catalog is a file, demo-catalog.csv next to this one: twenty everyday items of a Chinese
 * convenience store, in the same CSV a merchant imports (prices in yuan, VAT included: food 9 %,
 * everything else 13 %). The GTINs are made up under the 69 (China) prefix with valid check
 * digits, so a barcode scanner can ring them up. It seeds a new data directory; the Electron build
 * ships it as a resource. Source-tree code (tests, rigs, benchmarks) reads it from here.
 */
import { join } from 'node:path';
import type { Product } from '../../common/catalog.ts';
import { Catalog } from './catalog.ts';
import { readCatalogFile } from './catalog-file.ts';

export const DEMO_CATALOG_FILE = join(import.meta.dirname, 'demo-catalog.csv');

/** The demo catalog's items, for tests and tools that need them without a data directory. */
export const DEMO_CATALOG: readonly Product[] = readCatalogFile(DEMO_CATALOG_FILE).items;

/** The demo catalog indexed as the station holds it: what a test rig prices sales and resolves scans with. */
export function demoCatalog(): Catalog {
  return new Catalog(DEMO_CATALOG);
}
