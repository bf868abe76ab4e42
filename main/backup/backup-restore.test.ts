/**
 * Backup and restore of a whole station: sales run, a backup is taken while a sale is in flight,
 * more sales follow; the backup restored into a fresh directory holds every sale committed before it
 * began (each sale as the station showed it: paid, its total, its card tender's RRN), in the journal
 * and in the host's ledger, and a station boots on it and sells. The restore checks before it
 * replaces anything: the locks, sizes and hashes, integrity, schema. A backup made before the sale
 * model (journal v2) restores onto this build, and the station opens it as a current journal.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSchemaVersion } from '../data-files/station-databases.ts';
import { JOURNAL_SCHEMA_VERSION } from '../journal/journal-schema.ts';
import { Journal } from '../journal/journal.ts';
import { readJournalExcerpt } from '../data-files/station-databases.ts';
import { lockDataDir } from '../station/data-dir-lock.ts';
import { bootDrivenStation, CARDS, REPO_ROOT, type DrivenStation } from '../../test/support/station-driver.ts';
import { BACKUP_MANIFEST, readBackupManifest } from './backup-manifest.ts';
import { listBackups, takeBackup } from './backup.ts';
import { restoreBackup, RestoreRefused } from './restore.ts';

const fresh = (name: string) => mkdtempSync(join(tmpdir(), `${name}-`));
let station: DrivenStation;
let backup: string;
let committedBefore: string[];
let committedAfter: string[];
/** The paid sales the station listed before the backup began: id, receipt number, total. */
let paidBefore: { id: string; receiptNumber: string; total: number }[];
let source: string;

async function paidSales(driven: DrivenStation): Promise<{ id: string; receiptNumber: string; total: number }[]> {
  return (await driven.sales()).filter((sale) => sale.status === 'paid').map((sale) => ({ id: sale.id, receiptNumber: sale.receiptNumber, total: sale.totals.total.amountMinor }));
}

/** RRNs of the approved sales the station's journal lists: what was committed when it answered. */
async function approvedRrns(driven: DrivenStation): Promise<string[]> {
  return (await driven.journal()).filter((entry) => entry.kind === 'purchase' && entry.status === 'approved' && entry.rrn !== undefined).map((entry) => entry.rrn!);
}

function ledgerRrns(dataDir: string): string[] {
  const db = new DatabaseSync(join(dataDir, 'bank', 'ledger.sqlite'), { readOnly: true });
  try {
    return (db.prepare('SELECT rrn FROM transactions').all() as { rrn: string }[]).map((row) => row.rrn);
  } finally {
    db.close();
  }
}

const restoreCli = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'maintenance.ts'), 'restore', ...args], { encoding: 'utf8' });

/** A copy of the backup with one database rewritten by `change`, its manifest updated to match. */
function tampered(change: (file: string) => void, manifestToo = true): string {
  const copy = join(fresh('tampered'), 'pos-backup-copy');
  cpSync(backup, copy, { recursive: true });
  const file = join(copy, 'journal.sqlite');
  change(file);
  if (manifestToo) {
    const manifest = readBackupManifest(copy);
    const data = readFileSync(file);
    const db = new DatabaseSync(file, { readOnly: true });
    let version = 0;
    try {
      version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    } catch {
      // A file damaged past opening keeps the manifest's version.
      version = manifest.databases[0]!.schemaVersion;
    } finally {
      db.close();
    }
    const databases = manifest.databases.map((entry) => (entry.name === 'journal' ? { ...entry, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex'), schemaVersion: version } : entry));
    writeFileSync(join(copy, BACKUP_MANIFEST), JSON.stringify({ ...manifest, databases }));
  }
  return copy;
}

beforeAll(async () => {
  station = await bootDrivenStation();
  source = station.dataDir;
  for (let i = 0; i < 3; i++) expect((await station.sale(CARDS.unionpay.id, [CARDS.unionpay.pin])).step).toBe('approved');

  let stopLoad = false;
  let finished = 0;
  const load = (async () => {
    const cards = [CARDS.visa, CARDS.mastercard, CARDS.unionpay];
    for (let i = 0; !stopLoad; i++) {
      const card = cards[i % cards.length]!;
      await station.sale(card.id, [card.pin]);
      finished++;
    }
  })();
  // The loop starts its next sale the moment one ends: from here on a sale is always in flight.
  while (finished < 2) await new Promise((next) => setTimeout(next, 5));
  committedBefore = await approvedRrns(station);
  paidBefore = await paidSales(station);
  backup = (await takeBackup({ dataDir: source, folder: fresh('backups'), keep: 3 })).path;
  while (finished < 5) await new Promise((next) => setTimeout(next, 5));
  stopLoad = true;
  await load;
  committedAfter = await approvedRrns(station);
  await station.stop();
}, 120_000);

afterAll(async () => {
  await station.stop().catch(() => undefined);
});

describe('backup taken under load, restored into a fresh directory', () => {
  it('holds every sale committed before the backup began, in the journal and the ledger, and a station boots on it and sells', async () => {
    expect(committedBefore.length).toBeGreaterThanOrEqual(5);
    expect(committedAfter.length).toBeGreaterThan(committedBefore.length);
    const target = fresh('restored');

    const run = restoreCli(backup, '--data', target);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('restored journal.sqlite, catalog.sqlite, bank/ledger.sqlite from the backup of ');

    const excerpt = readJournalExcerpt(target, 1000);
    if ('unreadable' in excerpt) throw new Error(excerpt.unreadable);
    const restored = new Set(excerpt.entries.filter((entry) => entry.status === 'approved').map((entry) => entry.rrn));
    for (const rrn of committedBefore) expect(restored.has(rrn), `sale ${rrn}`).toBe(true);
    const inLedger = new Set(ledgerRrns(target));
    for (const rrn of committedBefore) expect(inLedger.has(rrn), `ledger ${rrn}`).toBe(true);
    // Sales finished after the backup are not in it (it is a snapshot, not a mirror).
    expect(committedAfter.filter((rrn) => !restored.has(rrn)).length).toBeGreaterThan(0);

    const again = await bootDrivenStation(target);
    try {
      // Each sale whole, as the restored station shows it: still paid, same receipt number and total.
      const restoredSales = new Map((await paidSales(again)).map((sale) => [sale.id, sale]));
      expect(paidBefore.length).toBeGreaterThanOrEqual(5);
      for (const sale of paidBefore) expect(restoredSales.get(sale.id), `sale ${sale.receiptNumber}`).toEqual(sale);
      expect((await again.sale(CARDS.visa.id, [CARDS.visa.pin])).step).toBe('approved');
    } finally {
      await again.stop();
    }
  });

  it('holds no key file, no log and no lock; its manifest names schema versions, and no PAN vault (journal v5 has none)', () => {
    const files = readdirSync(backup, { recursive: true }).map(String).sort();
    expect(files).toEqual(['bank', 'bank/ledger.sqlite', 'catalog.sqlite', 'journal.sqlite', 'manifest.json', 'station.redacted.json']);
    const manifest = readBackupManifest(backup);
    expect(manifest.databases.find((database) => database.name === 'journal')?.schemaVersion).toBe(JOURNAL_SCHEMA_VERSION);
    expect(manifest).not.toHaveProperty('vault');
    expect(JSON.parse(readFileSync(join(backup, 'station.redacted.json'), 'utf8'))).toMatchObject({ virtualPinPad: { ipek: '[redacted]' } });
  });

  it('from before journal v5 (its manifest counts PANs sealed in a vault) restores with no key: the vault is dropped at the next start', () => {
    const old = fresh('pre-v5-backup');
    cpSync(backup, old, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(old, BACKUP_MANIFEST), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(old, BACKUP_MANIFEST), JSON.stringify({ ...manifest, vault: { sealedPans: 3, keyFingerprint: '0123456789abcdef' } }));
    const run = restoreCli(old, '--data', fresh('restored-pre-v5'));
    expect(run.status, run.stderr).toBe(0);
  });
});

describe('a backup made before the sale model (journal v2)', () => {
  it('restores onto this build, and the station opens it as a current journal with every payment as a sale', async () => {
    // A v2 data directory as the station before the sale redesign left it (test/fixtures/journal-v2/).
    const fixture = join(REPO_ROOT, 'test', 'fixtures', 'journal-v2');
    const old = fresh('v2-station');
    copyFileSync(join(fixture, 'journal.sqlite'), join(old, 'journal.sqlite'));
    const v2 = (await takeBackup({ dataDir: old, folder: fresh('v2-backups'), keep: 1 })).path;
    expect(readBackupManifest(v2).databases).toEqual([expect.objectContaining({ name: 'journal', schemaVersion: 2 })]);

    // Its PAN vault needs no key here: the migration to journal v5 drops the vault.
    const target = fresh('v2-restored');
    restoreBackup({ backup: v2, dataDir: target });
    // Restored as it was: the station migrates it when it opens it, as it would the PC's own journal.
    expect(fileSchemaVersion(join(target, 'journal.sqlite'))).toBe(2);
    const journal = new Journal(join(target, 'journal.sqlite'));
    try {
      expect(journal.schemaVersion()).toBe(JOURNAL_SCHEMA_VERSION);
      const sales = journal.sales.page(undefined, 100).reverse();
      expect(sales.map((sale) => [sale.receiptNumber, sale.total.amountMinor, sale.status])).toEqual([
        ['000001', 1800, 'partly_refunded'],
        ['000002', 450, 'paid'],
        ['000003', 3900, 'cancelled'],
        ['000004', 2500, 'voided'],
        ['000005', 990, 'refunded'],
        ['000006', 150, 'cancelled'],
        ['000007', 200, 'cancelled'],
        ['000008', 690, 'tendering'],
      ]);
      expect(sales.every((sale) => sale.legacy)).toBe(true);
    } finally {
      journal.close();
    }
  });
});

describe('restore refuses before it replaces anything', () => {
  it('while a station holds the data directory, naming its PID', () => {
    const target = fresh('locked');
    const lock = lockDataDir(target);
    try {
      expect(() => restoreBackup({ backup, dataDir: target })).toThrow(new RestoreRefused(`a station (PID ${process.pid}) is running on ${target}: stop it before restoring`));
      expect(readdirSync(target)).toEqual(['station.lock']);
    } finally {
      lock.release();
    }
  });

  it.each([
    ['a file changed after the backup', () => tampered((file) => writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from('x')])), false), /size or SHA-256 differs/],
    [
      'a damaged database',
      () =>
        tampered((file) => {
          const data = readFileSync(file);
          // The b-tree page header of the second page: its type and cell count become nonsense.
          data.fill(0x5a, 4096, 4096 + 8);
          writeFileSync(file, data);
        }),
      /fails SQLite's integrity check/,
    ],
    [
      'a journal from a newer version',
      () =>
        tampered((file) => {
          const db = new DatabaseSync(file);
          db.exec('PRAGMA user_version = 999');
          db.close();
        }),
      /schema version 999, newer than this build's/,
    ],
  ])('%s', (_what, make, message) => {
    const target = fresh('bad-backup');
    expect(() => restoreBackup({ backup: make(), dataDir: target })).toThrow(message);
    expect(existsSync(join(target, 'journal.sqlite'))).toBe(false);
  });
});

describe('from the command line', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'maintenance.ts'), ...args], { encoding: 'utf8' });

  it('npm run backup -- --to FOLDER writes one and says what it holds', () => {
    const folder = fresh('cli-backups');
    const run = cli('backup', '--to', folder, '--data', source, '--keep', '1');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^backup written: ${folder}/pos-backup-\\d{8}T\\d{6}Z\n  journal.sqlite: \\d+ bytes, schema version \\d+\n  catalog.sqlite: \\d+ bytes, schema version \\d+\n  bank/ledger.sqlite: `));
    expect(listBackups(folder)).toHaveLength(1);
  });

  it('explains a missing folder, and how to use each command', () => {
    expect(cli('backup', '--data', fresh('no-config'))).toMatchObject({ status: 1, stderr: expect.stringMatching(/^no backup: no folder: pass --to FOLDER, or set backup.folder in station.json/) });
    expect(cli('restore')).toMatchObject({ status: 2, stderr: expect.stringContaining('usage: npm run restore -- BACKUP [--data DIR]') });
    expect(cli('support-bundle', 'out.tar.gz', '--entries', 'many')).toMatchObject({ status: 2, stderr: expect.stringContaining('--entries must be a whole number') });
  });
});

describe('backups kept', () => {
  it('keeps the newest N in the folder and deletes the older ones', async () => {
    const folder = fresh('retention');
    const at = (minute: number) => () => new Date(Date.UTC(2026, 10, 21, 2, minute));
    const paths: string[] = [];
    for (const minute of [0, 1, 2, 3]) paths.push((await takeBackup({ dataDir: source, folder, keep: 2, now: at(minute) })).path);
    expect(listBackups(folder)).toEqual(paths.slice(2));
    expect(paths[3]).toMatch(/pos-backup-20261121T020300Z$/);
  });
});
