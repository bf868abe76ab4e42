import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUnitOfWork, DurabilityLostError, type Durability, type UnitOfWork } from './unit-of-work.ts';
import { walSync } from './wal-sync.ts';

let dir: string;
let db: DatabaseSync;
let scheduled: (() => void)[];
let unit: UnitOfWork;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'unit-of-work-'));
  db = new DatabaseSync(join(dir, 'test.sqlite'));
  db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (k TEXT PRIMARY KEY) STRICT;');
  scheduled = [];
  unit = createUnitOfWork(db, { grouped: true, schedule: (task) => scheduled.push(task) });
});

afterEach(() => {
  if (db.isOpen) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (key: string) => db.prepare('INSERT INTO t (k) VALUES (?)').run(key);
const committedKeys = () => {
  const reader = new DatabaseSync(join(dir, 'test.sqlite'), { readOnly: true });
  try {
    return reader.prepare('SELECT k FROM t ORDER BY k').all().map((row) => row.k);
  } finally {
    reader.close();
  }
};
const runScheduled = () => scheduled.splice(0).forEach((task) => task());

describe('grouped unit of work', () => {
  it('commits every unit of a group in one transaction, on the scheduled turn, then calls back', () => {
    const calls: (Error | undefined)[] = [];
    unit.run(() => insert('a'));
    unit.afterCommit((error) => calls.push(error));
    unit.run(() => insert('b'));
    unit.afterCommit((error) => calls.push(error));
    expect(scheduled).toHaveLength(1);
    expect(committedKeys()).toEqual([]);
    expect(calls).toEqual([]);
    runScheduled();
    expect(committedKeys()).toEqual(['a', 'b']);
    expect(calls).toEqual([undefined, undefined]);
  });

  it('undoes only the failing unit; the others of the group commit', () => {
    unit.run(() => insert('a'));
    expect(() =>
      unit.run(() => {
        insert('b');
        insert('a');
      }),
    ).toThrow(/UNIQUE/);
    unit.run(() => insert('c'));
    runScheduled();
    expect(committedKeys()).toEqual(['a', 'c']);
  });

  it('joins a nested call to the unit around it', () => {
    expect(() =>
      unit.run(() => {
        unit.run(() => insert('a'));
        throw new Error('later failure');
      }),
    ).toThrow('later failure');
    runScheduled();
    expect(committedKeys()).toEqual([]);
  });

  it('calls back at once when no group is waiting', () => {
    let called = false;
    unit.afterCommit(() => (called = true));
    expect(called).toBe(true);
  });

  it('tells every waiting answer when the commit fails', () => {
    unit.run(() => insert('a'));
    const calls: (Error | undefined)[] = [];
    unit.afterCommit((error) => calls.push(error));
    // Closing the connection under the group makes its COMMIT fail, as an I/O error would.
    db.close();
    runScheduled();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toBeInstanceOf(Error);
  });

  it('starts a new group after a commit', () => {
    unit.run(() => insert('a'));
    runScheduled();
    unit.run(() => insert('b'));
    expect(scheduled).toHaveLength(1);
    unit.flush();
    expect(committedKeys()).toEqual(['a', 'b']);
  });
});

/** An fsync the test finishes by hand: `pending` holds the callbacks of the syncs in flight. */
function manualDurability() {
  const pending: ((error: Error | null) => void)[] = [];
  let blockingSyncs = 0;
  const durability: Durability = {
    sync: (done) => void pending.push(done),
    syncNow: () => void blockingSyncs++,
  };
  return { durability, pending, blockingSyncs: () => blockingSyncs };
}

describe('grouped unit of work with an fsync off the event loop', () => {
  it('answers a group only once an fsync that started after its commit has finished', () => {
    const disk = manualDurability();
    const piped = createUnitOfWork(db, { grouped: true, schedule: (task) => scheduled.push(task), durability: disk.durability });
    const calls: string[] = [];
    piped.run(() => insert('a'));
    piped.afterCommit(() => calls.push('a'));
    runScheduled();
    expect(committedKeys()).toEqual(['a']);
    expect(disk.pending).toHaveLength(1);
    expect(calls).toEqual([]);

    // Committed while the first fsync runs: the next fsync covers it, not this one.
    piped.run(() => insert('b'));
    piped.afterCommit(() => calls.push('b'));
    runScheduled();
    expect(disk.pending).toHaveLength(1);
    disk.pending.shift()!(null);
    expect(calls).toEqual(['a']);
    expect(disk.pending).toHaveLength(1);
    disk.pending.shift()!(null);
    expect(calls).toEqual(['a', 'b']);
    expect(piped.stats()).toEqual({ units: 2, commits: 2, fsyncs: 2 });
  });

  it('shares one fsync among every group committed before it starts', () => {
    const disk = manualDurability();
    const piped = createUnitOfWork(db, { grouped: true, schedule: (task) => scheduled.push(task), durability: disk.durability });
    const calls: string[] = [];
    piped.run(() => insert('a'));
    piped.afterCommit(() => calls.push('a'));
    runScheduled();
    for (const key of ['b', 'c']) {
      piped.run(() => insert(key));
      piped.afterCommit(() => calls.push(key));
      runScheduled();
    }
    disk.pending.shift()!(null);
    disk.pending.shift()!(null);
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(disk.pending).toHaveLength(0);
    expect(piped.stats()).toEqual({ units: 3, commits: 3, fsyncs: 2 });
  });

  it('calls back at once when everything committed is already durable', () => {
    const disk = manualDurability();
    const piped = createUnitOfWork(db, { grouped: true, schedule: (task) => scheduled.push(task), durability: disk.durability });
    piped.run(() => insert('a'));
    runScheduled();
    disk.pending.shift()!(null);
    let called = false;
    piped.afterCommit(() => (called = true));
    expect(called).toBe(true);
  });

  it('fails only the open group when its commit fails; the groups waiting for their fsync keep waiting', () => {
    const disk = manualDurability();
    const piped = createUnitOfWork(db, { grouped: true, schedule: (task) => scheduled.push(task), durability: disk.durability });
    const calls: [string, Error | undefined][] = [];
    piped.run(() => insert('a'));
    piped.afterCommit((error) => calls.push(['a', error]));
    runScheduled();
    piped.run(() => insert('b'));
    piped.afterCommit((error) => calls.push(['b', error]));
    db.close();
    runScheduled();
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe('b');
    expect(calls[0]![1]).toBeInstanceOf(Error);
    disk.pending.shift()!(null);
    expect(calls.map(([key, error]) => [key, error === undefined])).toEqual([
      ['b', false],
      ['a', true],
    ]);
  });

  it('on a failed fsync answers nothing it held, reports the loss and takes no more work', () => {
    const disk = manualDurability();
    const lost: Error[] = [];
    const piped = createUnitOfWork(db, { grouped: true, schedule: (task) => scheduled.push(task), durability: disk.durability, onDurabilityLost: (error) => lost.push(error) });
    const calls: (Error | undefined)[] = [];
    piped.run(() => insert('a'));
    piped.afterCommit((error) => calls.push(error));
    runScheduled();
    disk.pending.shift()!(new Error('EIO'));
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(DurabilityLostError);
    expect(lost[0]!.message).toMatch(/fsync failed: EIO/);
    expect(calls).toEqual([]);
    expect(() => piped.run(() => insert('b'))).toThrow(DurabilityLostError);
    piped.afterCommit((error) => calls.push(error));
    expect(calls[0]).toBeInstanceOf(DurabilityLostError);
  });

  it('flush() commits the open group and fsyncs before it returns', () => {
    const disk = manualDurability();
    const piped = createUnitOfWork(db, { grouped: true, schedule: (task) => scheduled.push(task), durability: disk.durability });
    const calls: (Error | undefined)[] = [];
    piped.run(() => insert('a'));
    piped.afterCommit((error) => calls.push(error));
    piped.flush();
    expect(committedKeys()).toEqual(['a']);
    expect(disk.blockingSyncs()).toBe(1);
    expect(calls).toEqual([undefined]);
  });

  it('runs on the real WAL file: fdatasync through a descriptor of its own', async () => {
    db.exec('PRAGMA synchronous = NORMAL');
    const wal = walSync(join(dir, 'test.sqlite'));
    const piped = createUnitOfWork(db, { grouped: true, durability: wal });
    piped.run(() => insert('a'));
    await new Promise<void>((resolve, reject) => piped.afterCommit((error) => (error === undefined ? resolve() : reject(error))));
    expect(committedKeys()).toEqual(['a']);
    expect(piped.stats().fsyncs).toBe(1);
    wal.close();
  });
});

describe('ungrouped unit of work', () => {
  it('has committed when run() returns, and rolls back a failing unit', () => {
    const alone = createUnitOfWork(db, { grouped: false });
    alone.run(() => insert('a'));
    expect(committedKeys()).toEqual(['a']);
    expect(() =>
      alone.run(() => {
        insert('b');
        insert('a');
      }),
    ).toThrow(/UNIQUE/);
    expect(committedKeys()).toEqual(['a']);
  });
});
