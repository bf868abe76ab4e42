/**
 * One station per data directory: the station holds station.lock in its data directory for as long
 * as it runs (common-node/exclusive-lock.ts), in both shells. A second start on the same directory
 * is refused with the directory and the PID of the station holding it.
 */
import { join } from 'node:path';
import { probeLock, tryAcquireLock, type HeldLock } from '../../common-node/exclusive-lock.ts';

export const STATION_LOCK_FILE = 'station.lock';

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  readonly holderPid: number | undefined;

  constructor(dataDir: string, holderPid: number | undefined) {
    super(`the data directory ${dataDir} is in use by another station (${holderPid === undefined ? 'PID unknown' : `PID ${holderPid}`})`);
    this.holderPid = holderPid;
  }
}

export function lockDataDir(dataDir: string): HeldLock {
  const attempt = tryAcquireLock(join(dataDir, STATION_LOCK_FILE));
  if (!attempt.acquired) throw new DataDirInUseError(dataDir, attempt.holderPid);
  return attempt.lock;
}

/** For tools that must not touch a directory a station is running on (restore). */
export function stationHolding(dataDir: string): { readonly held: false } | { readonly held: true; readonly holderPid: number | undefined } {
  return probeLock(join(dataDir, STATION_LOCK_FILE));
}
