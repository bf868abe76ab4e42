/**
 * The ledger's fsync, off the event loop: fdatasync of the SQLite WAL file through a descriptor of
 * our own, in libuv's thread pool. fsync works on the file, not on the descriptor, so it flushes the
 * frames SQLite's own connection wrote; every frame written before the call is on disk when it
 * calls back. This is what synchronous=FULL would do inside COMMIT, blocking the event loop for the
 * whole disk flush (unit-of-work.ts explains the pipeline it feeds).
 *
 * The WAL file exists once the connection has read or written the database (the migrations have);
 * it is opened on the first sync and kept: SQLite reuses the same file after checkpoints and deletes
 * it only when its last connection closes, after close() here.
 */
import { close, closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';
import type { Durability } from './unit-of-work.ts';

export interface WalSync extends Durability {
  /** Closes the descriptor once no fsync is in flight. */
  close(): void;
}

export function walSync(databasePath: string): WalSync {
  const walPath = `${databasePath}-wal`;
  let fd: number | undefined;
  let inFlight = false;
  let closed = false;

  const descriptor = (): number => (fd ??= openSync(walPath, 'r+'));

  return {
    sync(done) {
      let target: number;
      try {
        target = descriptor();
      } catch (error) {
        done(error as Error);
        return;
      }
      inFlight = true;
      fdatasync(target, (error) => {
        inFlight = false;
        if (closed) {
          close(target, () => {});
          return;
        }
        done(error);
      });
    },
    syncNow() {
      fdatasyncSync(descriptor());
    },
    close() {
      if (closed) return;
      closed = true;
      if (fd !== undefined && !inFlight) closeSync(fd);
    },
  };
}
