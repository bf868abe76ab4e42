import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUnitOfWork, type UnitOfWork } from './unit-of-work.ts';

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
