/**
 * The lock that dies with its process: held against other connections and other processes, the
 * holder's PID readable for the message, and free the moment a holder is killed with SIGKILL.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, probeLock, tryAcquireLock, type HeldLock } from './exclusive-lock.ts';

const held: HeldLock[] = [];
afterEach(() => held.splice(0).forEach((lock) => lock.release()));

function lockPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'exclusive-lock-')), 'station.lock');
}

function take(path: string, pid?: number): HeldLock {
  const attempt = tryAcquireLock(path, pid);
  if (!attempt.acquired) throw new Error(`lock held by ${attempt.holderPid}`);
  held.push(attempt.lock);
  return attempt.lock;
}

/** A separate Node process that takes the lock and says so on stdout. */
function holdInChild(path: string): Promise<{ pid: number; kill: () => Promise<void> }> {
  const script = `import { tryAcquireLock } from ${JSON.stringify(join(import.meta.dirname, 'exclusive-lock.ts'))};
const attempt = tryAcquireLock(${JSON.stringify(path)});
console.log(attempt.acquired ? 'HELD' : 'REFUSED');
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('HELD')) {
        resolve({ pid: child.pid!, kill: () => new Promise((done) => (child.once('exit', () => done()), child.kill('SIGKILL'))) });
      } else reject(new Error(`child did not get the lock: ${chunk.toString()}`));
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
}

describe('exclusive lock', () => {
  it('refuses a second holder and names the first one’s PID', () => {
    const path = lockPath();
    take(path, 4242);
    expect(tryAcquireLock(path, 5353)).toEqual({ acquired: false, holderPid: 4242 });
    expect(probeLock(path)).toEqual({ held: true, holderPid: 4242 });
  });

  it('is free again once released, and the next holder writes its own PID', () => {
    const path = lockPath();
    take(path, 4242).release();
    expect(probeLock(path)).toEqual({ held: false });
    take(path, 5353);
    expect(tryAcquireLock(path, 6464)).toEqual({ acquired: false, holderPid: 5353 });
  });

  it('reports a missing lock file as free without creating it', () => {
    const path = lockPath();
    expect(probeLock(path)).toEqual({ held: false });
    expect(tryAcquireLock(path).acquired).toBe(true);
  });

  it('says what to do with a file that is not a lock file', () => {
    const path = lockPath();
    writeFileSync(path, 'not a database, just text that is long enough to have a header of sorts........');
    expect(() => tryAcquireLock(path)).toThrow(/unusable.*delete it/);
  });

  it('holds against another process, and is free at once after that process is killed with SIGKILL', async () => {
    const path = lockPath();
    const child = await holdInChild(path);
    expect(tryAcquireLock(path)).toEqual({ acquired: false, holderPid: child.pid });
    await child.kill();
    const attempt = tryAcquireLock(path);
    expect(attempt.acquired).toBe(true);
    if (attempt.acquired) held.push(attempt.lock);
  });

  it('waits for a holder on its way out', async () => {
    const path = lockPath();
    const first = take(path);
    const waitedFor: (number | undefined)[] = [];
    const waiting = acquireLock(path, { waitMs: 60_000, pollMs: 10, onWait: (pid) => waitedFor.push(pid) });
    setTimeout(() => first.release(), 50);
    const attempt = await waiting;
    expect(attempt.acquired).toBe(true);
    if (attempt.acquired) held.push(attempt.lock);
    expect(waitedFor).toEqual([process.pid]);
  });

  it('gives up after the wait with the holder’s PID', async () => {
    const path = lockPath();
    take(path, 7575);
    expect(await acquireLock(path, { waitMs: 0 })).toEqual({ acquired: false, holderPid: 7575 });
  });
});
