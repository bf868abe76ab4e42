/**
 * Backup benchmark (`npm run bench:backup`): how long the station's online backup (main/backup:
 * SQLite's online backup API through node:sqlite backup(), a few hundred pages per step, then fsync,
 * a streamed SHA-256 and the manifest) takes for a journal of a given size, and the longest the
 * station's event loop waited meanwhile. Side by side, the peer: VACUUM INTO, which node:sqlite runs
 * synchronously, so it holds the event loop for the whole copy.
 *
 * The journal is stood in for by a database of the same kind (WAL, 4 KiB pages) filled with 1 KiB
 * rows of random bytes to the size asked; the backup's cost is the file's size, not its schema.
 * Five runs per size; it prints the median and the spread (min–max) of each. Figures are this
 * machine's (two shared cores), not assertions.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { takeBackup } from '../main/backup/backup.ts';

const SIZES_MB = [16, 128] as const;
const RUNS = 5;
const ROW_BYTES = 1024;

function journalOf(megabytes: number): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'backup-bench-'));
  const db = new DatabaseSync(join(dataDir, 'journal.sqlite'));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE rows (id INTEGER PRIMARY KEY, payload BLOB NOT NULL); PRAGMA user_version = 1;');
  const insert = db.prepare('INSERT INTO rows (payload) VALUES (?)');
  const rows = Math.round((megabytes * 1024 * 1024) / (ROW_BYTES + 40));
  db.exec('BEGIN');
  for (let i = 0; i < rows; i++) insert.run(randomBytes(ROW_BYTES));
  db.exec('COMMIT; PRAGMA wal_checkpoint(TRUNCATE);');
  db.close();
  return dataDir;
}

interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const spread = (s: Stats) => `${ms(s.median)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;

async function ourBackup(dataDir: string, folder: string): Promise<{ totalMs: number; longestStallMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  await takeBackup({ dataDir, folder, keep: 1 });
  const totalMs = performance.now() - started;
  delay.disable();
  return { totalMs, longestStallMs: delay.max / 1e6 };
}

function vacuumInto(source: string, target: string): number {
  const started = performance.now();
  const db = new DatabaseSync(source);
  db.prepare('VACUUM INTO ?').run(target);
  db.close();
  return performance.now() - started;
}

console.log(`backup benchmark: ${RUNS} runs per size, median (min–max)\n`);
console.log('size      file     takeBackup total          MB/s   longest loop stall     VACUUM INTO (loop held throughout)');
for (const megabytes of SIZES_MB) {
  const dataDir = journalOf(megabytes);
  const bytes = statSync(join(dataDir, 'journal.sqlite')).size;
  const oursTotal: number[] = [];
  const oursStall: number[] = [];
  const peer: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const folder = join(dataDir, `out-${run}`);
    const ours = await ourBackup(dataDir, folder);
    oursTotal.push(ours.totalMs);
    oursStall.push(ours.longestStallMs);
    rmSync(folder, { recursive: true, force: true });

    const peerDir = join(dataDir, `peer-${run}`);
    mkdirSync(peerDir);
    peer.push(vacuumInto(join(dataDir, 'journal.sqlite'), join(peerDir, 'journal.sqlite')));
    rmSync(peerDir, { recursive: true, force: true });
  }
  const total = stats(oursTotal);
  const mbPerSecond = bytes / 1024 / 1024 / (total.median / 1000);
  console.log(
    `${String(megabytes).padStart(4)} MB  ${(bytes / 1024 / 1024).toFixed(0).padStart(4)} MiB  ${spread(total).padEnd(26)}${mbPerSecond.toFixed(0).padStart(4)}   ${spread(stats(oursStall)).padEnd(23)}${spread(stats(peer))}`,
  );
  rmSync(dataDir, { recursive: true, force: true });
}
console.log('\ntakeBackup = online backup API + fsync + streamed SHA-256 + manifest; the station runs it at backup.dailyAt, from the menu or the command line.');
