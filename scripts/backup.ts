/**
 * `npm run backup -- [--to FOLDER] [--data DIR] [--keep N]`: an online backup of a station's journal
 * and bundled host ledger, the station running or not (main/backup/backup.ts). FOLDER and N default
 * to station.json's backup block.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { takeBackup } from '../main/backup/backup.ts';
import { loadStationConfig } from '../main/config/station-config.ts';
import { defaultDataDir } from '../main/station/data-dir.ts';

const USAGE = `usage: npm run backup -- [--to FOLDER] [--data DIR] [--keep N]
  --to    the folder to write the backup in (default: station.json backup.folder)
  --data  the station's data directory (default: POS_DATA_DIR, else the browser target's default)
  --keep  backups to keep in the folder, this one included (default: station.json backup.keep)`;

let values;
try {
  ({ values } = parseArgs({ options: { to: { type: 'string' }, data: { type: 'string' }, keep: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const dataDir = values.data === undefined ? defaultDataDir() : resolve(values.data);
try {
  const { backup } = loadStationConfig(join(dataDir, 'station.json'));
  const folder = values.to === undefined ? (backup.folder === null ? undefined : resolve(dataDir, backup.folder)) : resolve(values.to);
  if (folder === undefined) throw new Error('no folder: pass --to FOLDER, or set backup.folder in station.json');
  const keep = values.keep === undefined ? backup.keep : Number(values.keep);
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`--keep must be a whole number from 1, got ${values.keep}`);
  const result = takeBackup({ dataDir, folder, keep });
  console.log(`backup written: ${result.path}`);
  for (const database of result.manifest.databases) console.log(`  ${database.path}: ${database.bytes} bytes, schema version ${database.schemaVersion}`);
  if (result.manifest.vault.sealedPans > 0) console.log(`  ${result.manifest.vault.sealedPans} sealed PAN(s): restoring them needs this PC's keys/pan-vault.key (never in a backup)`);
  for (const old of result.deleted) console.log(`  deleted older backup ${old}`);
} catch (error) {
  console.error(`no backup: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
