/**
 * `npm run support-bundle -- OUT [--data DIR] [--entries N]`: writes a support bundle (.tar.gz) of a
 * station's data directory, the station running or not. OUT is the archive's path, or a folder to
 * put pos-support-<time>.tar.gz in. main/support/support-bundle.ts says what is in it, and what never is.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_BUNDLE_ENTRIES, writeSupportBundle } from '../main/support/support-bundle.ts';
import { defaultDataDir } from '../main/station/data-dir.ts';

const USAGE = `usage: npm run support-bundle -- OUT [--data DIR] [--entries N]
  OUT        the archive to write (.tar.gz), or an existing folder to write pos-support-<time>.tar.gz in
  --data     the station's data directory (default: POS_DATA_DIR, else the browser target's default;
             the installed app's is ~/.config/POS Station on Linux, %APPDATA%\\POS Station on Windows)
  --entries  how many of the newest journal entries to include (default ${DEFAULT_BUNDLE_ENTRIES})`;

const root = resolve(import.meta.dirname, '..');
let parsed;
try {
  parsed = parseArgs({ options: { data: { type: 'string' }, entries: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const entries = values.entries === undefined ? DEFAULT_BUNDLE_ENTRIES : Number(values.entries);
if (positionals.length !== 1 || !Number.isInteger(entries) || entries < 1 || entries > 10_000) {
  console.error(USAGE);
  process.exit(2);
}
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
try {
  const written = writeSupportBundle(positionals[0]!, {
    dataDir: values.data === undefined ? defaultDataDir() : resolve(values.data),
    hostConfigPath: join(root, 'bank', 'config', 'host.json'),
    versions: { app: version },
    lastEntries: entries,
  });
  console.log(`support bundle written: ${written}`);
} catch (error) {
  console.error(`no support bundle: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
