/**
 * Atomic units of ledger work, one per request, with optional group commit.
 *
 * A unit's reads and writes either all happen or none do. Grouped, the units of every request the
 * host reads in one turn of the event loop share one SQLite transaction (each unit inside its own
 * SAVEPOINT, so a failing unit undoes only itself), and the transaction commits on the next turn.
 * Nothing durable is given up, because the host writes no answer before its unit is durable:
 * afterCommit() holds each answer until then, and a failed commit answers the whole group as not
 * done.
 *
 * Durable is more than committed. With a `durability` (the host), COMMIT only writes the group to
 * the WAL (synchronous=NORMAL: the OS has it, a kill -9 cannot lose it) and the fsync that makes it
 * survive a power cut runs off the event loop (wal-sync.ts). One fsync is in flight at a time and
 * covers every group committed before it started; the groups committed while it runs wait for the
 * next one. So the event loop keeps reading, deciding and committing requests during an fsync, and
 * one fsync is shared by everything that arrived while the previous one ran: the slower the disk,
 * the larger the groups, instead of the loop stalling on every commit. Without a durability
 * (synchronous=FULL), COMMIT itself fsyncs.
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
  /** Calls `listener` once every unit run so far is durable; at once when nothing is waiting. */
  afterCommit(listener: CommitListener): void;
  /** Commits the open group and makes everything durable now, blocking (shutdown). */
  flush(): void;
  /** Counters since creation, to see how well groups share commits and fsyncs (bench:wallet, bench:host). */
  stats(): CommitStats;
}

export interface CommitStats {
  /** Units run (a nested call counts with its outer unit). */
  readonly units: number;
  /** Transactions committed: groups, or single units when not grouped. */
  readonly commits: number;
  /** WAL fsyncs: run off the event loop with a durability, else one inside each COMMIT (synchronous=FULL). */
  readonly fsyncs: number;
}

/** Makes every commit written so far survive a power cut. */
export interface Durability {
  /** Off the event loop; calls back once done, or with the error that stopped it. */
  sync(done: (error: Error | null) => void): void;
  /** Blocking, for shutdown. */
  syncNow(): void;
}

/**
 * The disk refused an fsync: what the committed groups left on disk is unknown (the kernel may have
 * dropped the pages), so nothing waiting is answered either way and the ledger takes no more work.
 * Restarting reads back what is truly on disk.
 */
export class DurabilityLostError extends Error {
  constructor(cause: Error) {
    super(`the ledger could not make its commits durable (fsync failed: ${cause.message}); nothing more is answered until the host restarts`, { cause });
    this.name = 'DurabilityLostError';
  }
}

export interface UnitOfWorkOptions {
  readonly grouped: boolean;
  /** When a group commits; setImmediate runs after the poll phase, once every ready socket was read. */
  readonly schedule?: (task: () => void) => void;
  /** Grouped only: the fsync run off the event loop after COMMIT (the connection runs synchronous=NORMAL). */
  readonly durability?: Durability;
  /** Grouped with a durability: an fsync failed (DurabilityLostError). The host stops on it. */
  readonly onDurabilityLost?: (error: DurabilityLostError) => void;
}

interface Waiting {
  /** The number of the commit it waits for. */
  readonly commit: number;
  readonly listener: CommitListener;
}

export function createUnitOfWork(db: DatabaseSync, options: UnitOfWorkOptions): UnitOfWork {
  const schedule = options.schedule ?? ((task: () => void) => void setImmediate(task));
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const savepoint = db.prepare('SAVEPOINT unit');
  const release = db.prepare('RELEASE unit');
  const rollbackToSavepoint = db.prepare('ROLLBACK TO unit');
  const durability = options.durability;

  let depth = 0;
  let groupOpen = false;
  /** Groups committed (written to the WAL), and how many of them are durable (fsynced). */
  let committed = 0;
  let durable = 0;
  let syncing = false;
  let lost: DurabilityLostError | undefined;
  /** In commit order, so the durable ones are always a prefix. */
  let waiting: Waiting[] = [];
  const counts = { units: 0, commits: 0, fsyncs: 0 };

  function runAlone<T>(work: () => T): T {
    begin.run();
    depth++;
    counts.units++;
    try {
      const result = work();
      commit.run();
      counts.commits++;
      counts.fsyncs++;
      return result;
    } catch (error) {
      rollbackQuietly();
      throw error;
    } finally {
      depth--;
    }
  }

  function runInGroup<T>(work: () => T): T {
    if (lost !== undefined) throw lost;
    if (!groupOpen) {
      begin.run();
      groupOpen = true;
      schedule(commitGroup);
    }
    savepoint.run();
    depth++;
    counts.units++;
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
    failOpenGroup(cause);
  }

  function commitGroup(): void {
    if (!groupOpen) return;
    groupOpen = false;
    try {
      commit.run();
    } catch (error) {
      rollbackQuietly();
      failOpenGroup(error as Error);
      return;
    }
    committed++;
    counts.commits++;
    if (durability === undefined) {
      counts.fsyncs++;
      durable = committed;
      answerUpTo(durable);
    } else startSync();
  }

  /** One fsync at a time; it covers every group committed before it starts. */
  function startSync(): void {
    if (syncing || lost !== undefined || durable === committed) return;
    syncing = true;
    counts.fsyncs++;
    const covers = committed;
    durability!.sync((error) => {
      syncing = false;
      if (error !== null) {
        loseDurability(error);
        return;
      }
      durable = Math.max(durable, covers);
      answerUpTo(durable);
      startSync();
    });
  }

  function loseDurability(cause: Error): void {
    if (lost !== undefined) return;
    lost = new DurabilityLostError(cause);
    // The waiting answers are neither given nor refused: their outcome is unknown until a restart.
    waiting = [];
    if (options.onDurabilityLost === undefined) throw lost;
    options.onDurabilityLost(lost);
  }

  /** The open group's listeners hear that it is lost; earlier commits' listeners keep waiting. */
  function failOpenGroup(cause: Error): void {
    const failed = waiting.filter((entry) => entry.commit > committed);
    waiting = waiting.filter((entry) => entry.commit <= committed);
    for (const entry of failed) entry.listener(cause);
  }

  function answerUpTo(upTo: number): void {
    let count = 0;
    while (count < waiting.length && waiting[count]!.commit <= upTo) count++;
    if (count === 0) return;
    const done = waiting.slice(0, count);
    waiting = waiting.slice(count);
    for (const entry of done) entry.listener(undefined);
  }

  /** After a failure: the transaction must not linger, and a failure to end it changes nothing more. */
  function rollbackQuietly(): void {
    try {
      if (db.isOpen && db.isTransaction) rollback.run();
    } catch {
      // The connection is unusable; SQLite discards the uncommitted transaction with it.
    }
  }

  return {
    run: (work) => (depth > 0 ? work() : options.grouped ? runInGroup(work) : runAlone(work)),
    afterCommit(listener) {
      if (lost !== undefined) {
        listener(lost);
        return;
      }
      const awaited = groupOpen ? committed + 1 : committed;
      if (awaited <= durable) listener(undefined);
      else waiting.push({ commit: awaited, listener });
    },
    flush() {
      commitGroup();
      if (durability === undefined || lost !== undefined || durable === committed) return;
      try {
        counts.fsyncs++;
        durability.syncNow();
      } catch (error) {
        loseDurability(error as Error);
        return;
      }
      durable = committed;
      answerUpTo(durable);
    },
    stats: () => ({ ...counts }),
  };
}
