/**
 * Online backup of a station's data directory: the journal, the catalog and the bundled host's
 * ledger, taken while the station runs and sells. Each database is copied with SQLite's online
 * backup API (node:sqlite backup()) from a connection of its own, a few hundred pages per step
 * between turns of the event loop, so the station keeps serving while it runs
 * (bench/backup.bench.ts: VACUUM INTO would hold the event loop for the whole copy, hundreds of
 * milliseconds for a 165 MiB journal). The copy is a
 * consistent snapshot, never a torn file: when a writer changes the source between two steps, SQLite
 * starts the copy again, so it holds at least everything committed before the backup began. A
 * till writes a few times a minute, so the copy finishes in the gaps.
 *
 * A backup is a folder pos-backup-<UTC time> holding the database copies, a manifest (schema
 * versions, sizes, SHA-256) and the station config with key material redacted, for reference.
 * It is assembled under a hidden name and renamed into place only when complete, so a crash or a
 * full disk mid-way never leaves something that looks like a backup. Then the oldest backups beyond
 * `keep` are deleted.
 *
 * Never in a backup: key files (the PIN pad's KSNs, the host's keys), the config's key material, the
 * logs, the lock files.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { databasePath, fileSchemaVersion, STATION_DATABASES } from '../data-files/station-databases.ts';
import { redactSecrets } from '../support/redact-secrets.ts';
import { BACKUP_MANIFEST, type BackupManifest } from './backup-manifest.ts';

export const BACKUP_PREFIX = 'pos-backup-';
const STAMP = /^pos-backup-\d{8}T\d{6}Z(-\d+)?$/;

export interface BackupOptions {
  readonly dataDir: string;
  /** The folder the backup goes into (created if missing). */
  readonly folder: string;
  /** How many backups to keep in the folder, this one included. */
  readonly keep: number;
  readonly now?: () => Date;
}

export interface BackupResult {
  readonly path: string;
  readonly manifest: BackupManifest;
  /** Older backups this one made redundant, deleted. */
  readonly deleted: readonly string[];
}

/** Complete backups in a folder, oldest first. */
export function listBackups(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => STAMP.test(name) && existsSync(join(folder, name, BACKUP_MANIFEST)))
    .sort()
    .map((name) => join(folder, name));
}

/** When the newest complete backup in the folder was taken, from its manifest. */
export function newestBackupAt(folder: string): Date | undefined {
  const newest = listBackups(folder).at(-1);
  if (newest === undefined) return undefined;
  return new Date((JSON.parse(readFileSync(join(newest, BACKUP_MANIFEST), 'utf8')) as BackupManifest).createdAt);
}

function stampOf(at: Date): string {
  return `${BACKUP_PREFIX}${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`;
}

/** Flushes a file's data to the disk, so a rename that follows publishes a complete file. */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Streamed, so hashing a large copy does not hold the event loop either. */
async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Pages copied per step: a few milliseconds of work between turns of the event loop. */
const PAGES_PER_STEP = 256;

/** SQLite's online backup from a connection of its own: a consistent snapshot of a live database. */
async function snapshot(source: string, target: string): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  // A busy timeout rides out a checkpoint's brief lock; a journal being written is never a reason to fail.
  const db = new DatabaseSync(source, { timeout: 10_000 });
  try {
    await backup(db, target, { rate: PAGES_PER_STEP });
  } finally {
    db.close();
  }
  // The copy carries the source's WAL mode; a backup is one self-contained file, so back to a rollback journal.
  const copy = new DatabaseSync(target);
  try {
    copy.exec('PRAGMA journal_mode = DELETE');
  } finally {
    copy.close();
  }
  fsyncFile(target);
}

/** station.json without its key material, for reference on a new PC; nothing when it will not parse. */
function redactedConfig(path: string): string | undefined {
  try {
    return `${JSON.stringify(redactSecrets(JSON.parse(readFileSync(path, 'utf8'))), null, 2)}\n`;
  } catch {
    return undefined;
  }
}

/** One backup at a time in a process: the daily one and one from the menu must not pick the same name. */
let previous: Promise<unknown> = Promise.resolve();

export function takeBackup(options: BackupOptions): Promise<BackupResult> {
  const run = previous.then(() => backupOnce(options));
  previous = run.catch(() => undefined);
  return run;
}

async function backupOnce(options: BackupOptions): Promise<BackupResult> {
  const now = (options.now ?? (() => new Date()))();
  mkdirSync(options.folder, { recursive: true });
  let name = stampOf(now);
  for (let n = 2; existsSync(join(options.folder, name)); n++) name = `${stampOf(now)}-${n}`;
  const staging = join(options.folder, `.${name}.partial`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    const databases: BackupManifest['databases'][number][] = [];
    for (const database of STATION_DATABASES) {
      const source = databasePath(options.dataDir, database);
      if (!existsSync(source)) continue;
      const target = join(staging, ...database.relativePath.split('/'));
      await snapshot(source, target);
      databases.push({ name: database.name, path: database.relativePath, bytes: statSync(target).size, sha256: await sha256Of(target), schemaVersion: fileSchemaVersion(target) });
    }
    if (databases.length === 0) throw new Error(`${options.dataDir} has no journal, catalog or ledger to back up`);
    const manifest: BackupManifest = { format: 1, createdAt: now.toISOString(), sourceDataDir: options.dataDir, databases };
    const config = redactedConfig(join(options.dataDir, 'station.json'));
    if (config !== undefined) writeFileSync(join(staging, 'station.redacted.json'), config);
    writeFileSync(join(staging, BACKUP_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    fsyncFile(join(staging, BACKUP_MANIFEST));
    const path = join(options.folder, name);
    renameSync(staging, path);
    const deleted = listBackups(options.folder).slice(0, -options.keep);
    for (const old of deleted) rmSync(old, { recursive: true, force: true });
    return { path, manifest, deleted };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
