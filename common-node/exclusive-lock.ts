/**
 * An exclusive lock on a file that dies with its process: one station per data directory, one host
 * per ledger. Node has no flock(), so the lock is a small SQLite file whose locks the operating
 * system drops the moment the holder exits, kill -9 and power cut included. A PID file would
 * survive a crash and block the next start; this cannot.
 *
 * How it holds: the holder writes its PID under an exclusive lock, then switches the connection to
 * EXCLUSIVE locking mode and reads the row back, which takes a shared lock SQLite never lets go of
 * until the connection closes. Anyone else can still read the PID (for the message) but no one can
 * write, and writing is what taking the lock means. Two starters racing cannot both win: whoever
 * reads back a PID not its own, or cannot read at all, lost.
 *
 * One hazard, POSIX's: closing any descriptor of the lock file drops every lock this process holds
 * on it. SQLite guards its own descriptors, so only ever open the file through this module, never
 * with fs (a backup or support bundle must skip it).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export interface HeldLock {
  readonly path: string;
  /** Lets go of the lock; the file stays, with a PID no one holds any more. */
  release(): void;
}

export type LockAttempt = { readonly acquired: true; readonly lock: HeldLock } | { readonly acquired: false; readonly holderPid: number | undefined };

const HOLDER_TABLE = 'CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, since TEXT NOT NULL)';

function isBusy(error: unknown): boolean {
  return error instanceof Error && /database is locked|SQLITE_BUSY/i.test(`${error.message} ${(error as { code?: unknown }).code ?? ''}`);
}

function open(path: string): DatabaseSync {
  mkdirSync(dirname(path), { recursive: true });
  try {
    // No busy timeout: a held lock answers at once, and whoever asks decides whether to wait.
    return new DatabaseSync(path, { timeout: 0 });
  } catch (error) {
    throw new Error(`cannot open the lock file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The PID written in the lock file, when it can be read right now. */
function readHolder(db: DatabaseSync): number | undefined {
  try {
    const row = db.prepare('SELECT pid FROM holder WHERE id = 1').get() as { pid: number } | undefined;
    return row?.pid;
  } catch {
    // Mid-write by a racing starter, or no table yet: the caller still knows the lock is taken.
    return undefined;
  }
}

/** Takes the lock now, or says who holds it. Never waits. */
export function tryAcquireLock(path: string, pid: number = process.pid): LockAttempt {
  const db = open(path);
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    if (!isBusy(error)) {
      db.close();
      throw new Error(`the lock file ${path} is unusable (${error instanceof Error ? error.message : String(error)}); if no station or host is running, delete it`);
    }
    const holderPid = readHolder(db);
    db.close();
    return { acquired: false, holderPid };
  }
  try {
    db.exec(HOLDER_TABLE);
    db.prepare('INSERT INTO holder (id, pid, since) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, since = excluded.since').run(pid, new Date().toISOString());
    db.exec('COMMIT');
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    const holderPid = readHolder(db);
    if (holderPid !== pid) {
      db.close();
      return { acquired: false, holderPid };
    }
  } catch (error) {
    db.close();
    if (isBusy(error)) return { acquired: false, holderPid: undefined };
    throw error;
  }
  let held = true;
  return {
    acquired: true,
    lock: {
      path,
      release() {
        if (!held) return;
        held = false;
        db.close();
      },
    },
  };
}

export interface WaitOptions {
  /** How long to keep trying while someone else holds it. */
  readonly waitMs: number;
  readonly pollMs?: number;
  /** Called once, when the first try finds the lock held. */
  readonly onWait?: (holderPid: number | undefined) => void;
}

/**
 * Takes the lock, trying again while it is held, up to `waitMs`. For a successor that knows its
 * predecessor is on its way out (a host whose station was killed exits when it notices).
 */
export async function acquireLock(path: string, options: WaitOptions): Promise<LockAttempt> {
  const deadline = Date.now() + options.waitMs;
  let attempt = tryAcquireLock(path);
  if (!attempt.acquired) options.onWait?.(attempt.holderPid);
  while (!attempt.acquired && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
    attempt = tryAcquireLock(path);
  }
  return attempt;
}

/** Whether someone holds the lock right now (a restore must not replace files under a running station). */
export function probeLock(path: string): { readonly held: false } | { readonly held: true; readonly holderPid: number | undefined } {
  if (!existsSync(path)) return { held: false };
  const db = open(path);
  try {
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return { held: false };
  } catch (error) {
    if (!isBusy(error)) throw new Error(`the lock file ${path} is unusable (${error instanceof Error ? error.message : String(error)})`);
    return { held: true, holderPid: readHolder(db) };
  } finally {
    db.close();
  }
}
