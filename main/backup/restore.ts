/**
 * Restores a backup (backup.ts) into a data directory. Everything is checked before anything is
 * replaced, and nothing is replaced under a running station or host:
 *   1. it takes the station's lock on the directory and the host's lock on its ledger for the whole
 *      restore, and refuses (naming the PID) while either is held;
 *   2. every database in the backup has the size and SHA-256 its manifest says, passes SQLite's
 *      integrity_check, and has the schema version the manifest says, no newer than this build's
 *      (an older one is migrated forward at the next start, as any older file is);
 *   (a backup from before journal v5 may hold PANs sealed in its vault: they need no key, since the
 *   restored journal drops the vault at the next start and the station deletes the retired key).
 * Then each current database (with its -wal and -shm) is moved aside into
 * replaced-by-restore-<time>/ in the data directory, never deleted, and the backup's copy put in
 * its place (copied next to it, flushed, renamed over).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { tryAcquireLock, type HeldLock } from '../../common-node/exclusive-lock.ts';
import { databaseNamed, databasePath, fileSchemaVersion, STATION_DATABASES } from '../data-files/station-databases.ts';
import { readBackupManifest, type BackupManifest } from './backup-manifest.ts';
import { fsyncFile } from './backup.ts';

export class RestoreRefused extends Error {
  override readonly name = 'RestoreRefused';
}

export interface RestoreOptions {
  readonly backup: string;
  readonly dataDir: string;
  readonly now?: () => Date;
}

export interface RestoreResult {
  readonly restored: readonly string[];
  /** Where the replaced files went, when there were any. */
  readonly replacedDir: string | undefined;
  readonly manifest: BackupManifest;
}

function lockOrRefuse(path: string, who: string, dataDir: string): HeldLock {
  const attempt = tryAcquireLock(path);
  if (attempt.acquired) return attempt.lock;
  throw new RestoreRefused(`${who} (${attempt.holderPid === undefined ? 'PID unknown' : `PID ${attempt.holderPid}`}) is running on ${dataDir}: stop it before restoring`);
}

/** 'ok', or what SQLite found wrong (a file too damaged to open says so as well). */
function integrity(path: string): string {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    const rows = db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
    return rows.map((row) => row.integrity_check).join('; ');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    db?.close();
  }
}

function verify(backup: string, manifest: BackupManifest): void {
  for (const entry of manifest.databases) {
    const known = STATION_DATABASES.find((database) => database.name === entry.name && database.relativePath === entry.path);
    if (known === undefined) throw new RestoreRefused(`the backup holds ${entry.path}, which this build does not know as its ${entry.name}`);
    const file = join(backup, ...entry.path.split('/'));
    if (!existsSync(file)) throw new RestoreRefused(`the backup is incomplete: ${entry.path} is missing`);
    if (statSync(file).size !== entry.bytes || createHash('sha256').update(readFileSync(file)).digest('hex') !== entry.sha256) {
      throw new RestoreRefused(`the backup's ${entry.path} is not the file that was backed up (size or SHA-256 differs)`);
    }
    const check = integrity(file);
    if (check !== 'ok') throw new RestoreRefused(`the backup's ${entry.path} fails SQLite's integrity check: ${check.slice(0, 300)}`);
    const version = fileSchemaVersion(file);
    if (version !== entry.schemaVersion) throw new RestoreRefused(`the backup's ${entry.path} has schema version ${version}, its manifest says ${entry.schemaVersion}`);
    if (version > known.schemaVersion) {
      throw new RestoreRefused(`the backup's ${entry.name} has schema version ${version}, newer than this build's ${known.schemaVersion}: restore it with the version that made it, or a later one`);
    }
  }
}

export function restoreBackup(options: RestoreOptions): RestoreResult {
  const { dataDir, backup } = options;
  const manifest = readBackupManifest(backup);
  const locks = [lockOrRefuse(join(dataDir, ...databaseNamed('journal').lockFile.split('/')), 'a station', dataDir)];
  try {
    locks.push(lockOrRefuse(join(dataDir, ...databaseNamed('ledger').lockFile.split('/')), 'the bundled host', dataDir));
    verify(backup, manifest);

    const stamp = (options.now ?? (() => new Date()))().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const replacedDir = join(dataDir, `replaced-by-restore-${stamp}`);
    let replacedAny = false;
    const restored: string[] = [];
    for (const entry of manifest.databases) {
      const database = STATION_DATABASES.find((candidate) => candidate.name === entry.name)!;
      const target = databasePath(dataDir, database);
      mkdirSync(dirname(target), { recursive: true });
      for (const suffix of ['', '-wal', '-shm', '-journal']) {
        if (!existsSync(`${target}${suffix}`)) continue;
        const aside = join(replacedDir, ...`${entry.path}${suffix}`.split('/'));
        mkdirSync(dirname(aside), { recursive: true });
        renameSync(`${target}${suffix}`, aside);
        replacedAny = true;
      }
      const incoming = `${target}.restoring`;
      copyFileSync(join(backup, ...entry.path.split('/')), incoming);
      fsyncFile(incoming);
      renameSync(incoming, target);
      restored.push(entry.path);
    }
    return { restored, replacedDir: replacedAny ? replacedDir : undefined, manifest };
  } finally {
    locks.forEach((lock) => lock.release());
  }
}
