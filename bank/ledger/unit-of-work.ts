/**
 * Atomic units of ledger work, one per request, with optional group commit.
 *
 * A unit's reads and writes either all happen or none do. Grouped, the units of every request the
 * host reads in one turn of the event loop share one SQLite transaction (each unit inside its own
 * SAVEPOINT, so a failing unit undoes only itself), and the transaction commits on the next turn:
 * one WAL sync covers the whole group instead of one per request. Nothing durable is given up,
 * because the host writes no answer before its unit is committed: afterCommit() holds each answer
 * until then, and a failed commit answers the whole group as not done.
 *
 * Not grouped, each unit commits before run() returns (tools and unit tests that read the file
 * through another connection right away).
 *
 * node:sqlite is synchronous and the event loop runs one request at a time, so units never
 * interleave: a later unit in the group sees the earlier units' writes, exactly as if each had
 * committed on its own.
 */
import type { DatabaseSync } from 'node:sqlite';

/** Called once the work is durable (error undefined), or with the error that lost it. */
export type CommitListener = (error: Error | undefined) => void;

export interface UnitOfWork {
  /** Runs `work` atomically. A call inside another unit joins that unit. */
  run<T>(work: () => T): T;
  /** Calls `listener` once every unit run so far is committed; at once when none is waiting. */
  afterCommit(listener: CommitListener): void;
  /** Commits the open group now (shutdown); a no-op when none is open. */
  flush(): void;
}

export interface UnitOfWorkOptions {
  readonly grouped: boolean;
  /** When a group commits; setImmediate runs after the poll phase, once every ready socket was read. */
  readonly schedule?: (task: () => void) => void;
}

export function createUnitOfWork(db: DatabaseSync, options: UnitOfWorkOptions): UnitOfWork {
  const schedule = options.schedule ?? ((task: () => void) => void setImmediate(task));
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const savepoint = db.prepare('SAVEPOINT unit');
  const release = db.prepare('RELEASE unit');
  const rollbackToSavepoint = db.prepare('ROLLBACK TO unit');

  let depth = 0;
  let groupOpen = false;
  let listeners: CommitListener[] = [];

  function runAlone<T>(work: () => T): T {
    begin.run();
    depth++;
    try {
      const result = work();
      commit.run();
      return result;
    } catch (error) {
      rollbackQuietly();
      throw error;
    } finally {
      depth--;
    }
  }

  function runInGroup<T>(work: () => T): T {
    if (!groupOpen) {
      begin.run();
      groupOpen = true;
      schedule(flush);
    }
    savepoint.run();
    depth++;
    try {
      const result = work();
      release.run();
      return result;
    } catch (error) {
      undoUnit(error as Error);
      throw error;
    } finally {
      depth--;
    }
  }

  function undoUnit(cause: Error): void {
    if (db.isOpen && db.isTransaction) {
      rollbackToSavepoint.run();
      release.run();
      return;
    }
    // Some errors (disk full, I/O) make SQLite roll back the whole transaction: the group's
    // earlier units are gone too, and their answers must say so.
    groupOpen = false;
    notify(cause);
  }

  function flush(): void {
    if (!groupOpen) return;
    groupOpen = false;
    try {
      commit.run();
    } catch (error) {
      rollbackQuietly();
      notify(error as Error);
      return;
    }
    notify(undefined);
  }

  /** After a failure: the transaction must not linger, and a failure to end it changes nothing more. */
  function rollbackQuietly(): void {
    try {
      if (db.isOpen && db.isTransaction) rollback.run();
    } catch {
      // The connection is unusable; SQLite discards the uncommitted transaction with it.
    }
  }

  function notify(error: Error | undefined): void {
    const waiting = listeners;
    listeners = [];
    for (const listener of waiting) listener(error);
  }

  return {
    run: (work) => (depth > 0 ? work() : options.grouped ? runInGroup(work) : runAlone(work)),
    afterCommit(listener) {
      if (groupOpen) listeners.push(listener);
      else listener(undefined);
    },
    flush,
  };
}
