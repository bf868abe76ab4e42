/**
 * `npm run catalog:import -- FILE [--data DIR] [--skip-bad-rows]`: imports a catalog file (CSV or
 * JSON, docs/catalog.md) into a station's data directory, as its whole new catalog.
 *
 * Every bad row is listed with its line, SKU, field and reason. By default one bad row stops the
 * import and nothing changes; with --skip-bad-rows the good rows are imported and the skipped ones
 * listed (they are then not in the catalog). A station whose catalog the head office owns refuses a
 * local import. A running station picks the new catalog up at its next catalog read; an open
 * checkout window shows it once reloaded.
 *
 * Exit codes: 0 imported, 1 refused (bad rows, bad file, head office), 2 wrong arguments.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../station/data-dir.ts';
import { CatalogFileError, describeRowError } from './catalog-rows.ts';
import { readCatalogFile } from './catalog-file.ts';
import { CatalogOwnedByHeadOfficeError, StationCatalog } from './station-catalog.ts';

const USAGE = 'usage: npm run catalog:import -- FILE [--data DIR] [--skip-bad-rows]';

function run(): number {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { data: { type: 'string' }, 'skip-bad-rows': { type: 'boolean' } } });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const dataDir = parsed.values.data ?? defaultDataDir();
  const skipBadRows = parsed.values['skip-bad-rows'] === true;

  let rows;
  try {
    rows = readCatalogFile(file);
  } catch (error) {
    if (!(error instanceof CatalogFileError)) throw error;
    console.error(`${file}: ${error.message}\nNothing was imported.`);
    return 1;
  }
  for (const error of rows.errors) console.error(`${file}: ${describeRowError(error)}`);
  if (rows.errors.length > 0 && !skipBadRows) {
    console.error(`${rows.errors.length} bad row(s): nothing was imported. Fix them, or import the ${rows.items.length} good row(s) with --skip-bad-rows.`);
    return 1;
  }
  if (rows.items.length === 0) {
    console.error(`${file} has no item to import: nothing was imported.`);
    return 1;
  }

  const catalog = new StationCatalog({ dataDir });
  try {
    const skipped = rows.errors.length > 0 ? `, ${rows.errors.length} bad row(s) skipped` : '';
    const applied = catalog.apply({ source: 'import', items: rows.items, note: `${basename(file)}${skipped}` });
    console.log(`Imported ${applied.itemCount} item(s) from ${file}${skipped} into ${dataDir} (catalog version ${applied.version}).`);
    return 0;
  } catch (error) {
    if (!(error instanceof CatalogOwnedByHeadOfficeError)) throw error;
    console.error(`${error.message}. Nothing was imported.`);
    return 1;
  } finally {
    catalog.close();
  }
}

process.exitCode = run();
