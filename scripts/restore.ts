/**
 * `npm run restore -- BACKUP [--data DIR] [--without-vault-key]`: puts a backup's journal and ledger
 * in place of a data directory's, after checking integrity and schema versions, and only while no
 * station or host runs on it (main/backup/restore.ts). The replaced files are kept, moved aside.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { restoreBackup } from '../main/backup/restore.ts';
import { defaultDataDir } from '../main/station/data-dir.ts';

const USAGE = `usage: npm run restore -- BACKUP [--data DIR] [--without-vault-key]
  BACKUP               a pos-backup-<time> folder written by npm run backup or the daily backup
  --data               the data directory to restore into (default: POS_DATA_DIR, else the browser target's default)
  --without-vault-key  restore although this directory lacks the PAN-vault key the backup's sealed PANs need`;

let parsed;
try {
  parsed = parseArgs({ options: { data: { type: 'string' }, 'without-vault-key': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals.length !== 1) {
  console.error(USAGE);
  process.exit(2);
}
const dataDir = values.data === undefined ? defaultDataDir() : resolve(values.data);
try {
  const result = restoreBackup({ backup: resolve(positionals[0]!), dataDir, withoutVaultKey: values['without-vault-key'] === true });
  console.log(`restored ${result.restored.join(', ')} from the backup of ${result.manifest.createdAt} into ${dataDir}`);
  if (result.replacedDir !== undefined) console.log(`  the files it replaced are in ${result.replacedDir}`);
  if (result.unreadableSealedPans > 0) console.log(`  ${result.unreadableSealedPans} sealed PAN(s) cannot be opened here: their reversals and batch uploads will be refused by the host`);
} catch (error) {
  console.error(`not restored: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
