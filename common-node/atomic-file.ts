/**
 * Key files (and other small files that must never be seen half written), written atomically:
 * a temp file beside the target, written and fsynced, then moved into place, then the directory
 * fsynced so the new name itself survives a power cut. A crash at any point leaves the old file or
 * none, never a part of one.
 *
 *  - writeFileAtomic replaces the file (a KSN counter, a renewed certificate).
 *  - createFileOnce creates it only if absent: the temp file is hard-linked into place, and link(2)
 *    fails when the name exists, so of two processes creating the same key at once exactly one wins
 *    and the other learns it (rename would let the second silently replace a key already in use).
 *  - loadOrCreateFile reads a file, creating it first if absent; the loser of a race reads the winner's.
 *
 * A crash can leave a temp file (same mode as the target) next to it; it is named after the target
 * and the writer's pid, and removed by the next write once that pid is gone.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Permission bits of the file; key files use 0o600 (owner read/write only). */
  readonly mode?: number;
  /** Permission bits of any directory created on the way (0o700 for key folders). */
  readonly dirMode?: number;
}

const DEFAULT_FILE_MODE = 0o600;
const DEFAULT_DIR_MODE = 0o700;

/** Replaces `path` with `data` atomically. */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const temporary = writeTemporary(path, data, options);
  try {
    renameSync(temporary, path);
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
  fsyncDirectory(dirname(path));
}

/** Creates `path` with `data` unless it exists: 'created', or 'exists' (and the file is left as it was). */
export function createFileOnce(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): 'created' | 'exists' {
  const temporary = writeTemporary(path, data, options);
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw error;
  } finally {
    removeQuietly(temporary);
  }
  fsyncDirectory(dirname(path));
  return 'created';
}

export interface LoadOrCreateOptions<T> extends AtomicWriteOptions {
  /** Makes the file's content on first use (a fresh random key). */
  create(): string | Uint8Array;
  /** Turns the file's content into the value; throws a clear error for content that is not one. */
  parse(content: Buffer): T;
}

/** Reads and parses `path`, creating it first when absent. Two processes starting at once get the same value. */
export function loadOrCreateFile<T>(path: string, options: LoadOrCreateOptions<T>): T {
  const existing = readIfPresent(path);
  if (existing !== undefined) return options.parse(existing);
  const content = options.create();
  if (createFileOnce(path, content, options) === 'created') return options.parse(Buffer.from(content));
  // Another process created it between our read and our link: its file is the one in use.
  return options.parse(readFileSync(path));
}

/** The file's bytes, or undefined when it does not exist. */
export function readIfPresent(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function writeTemporary(path: string, data: string | Uint8Array, options: AtomicWriteOptions): string {
  const directory = dirname(path);
  mkdirSync(directory, { recursive: true, mode: options.dirMode ?? DEFAULT_DIR_MODE });
  removeStaleTemporaries(path);
  const temporary = join(directory, `${temporaryPrefix(path)}${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // 'wx' with the final mode from the start: the key is never readable by others, not even briefly.
  const fd = openSync(temporary, 'wx', options.mode ?? DEFAULT_FILE_MODE);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.byteLength) written += writeSync(fd, bytes, written, bytes.byteLength - written);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    removeQuietly(temporary);
    throw error;
  }
  closeSync(fd);
  return temporary;
}

function temporaryPrefix(path: string): string {
  return `.${basename(path)}.`;
}

/** Removes temp files a crashed writer left for this target (their pid is no longer running). */
function removeStaleTemporaries(path: string): void {
  const prefix = temporaryPrefix(path);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && pid > 0 && !isRunning(pid)) removeQuietly(join(dirname(path), name));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or never made: nothing to clean up.
  }
}

/** Makes a rename or link in `directory` durable. Windows cannot open a directory; NTFS journals names. */
function fsyncDirectory(directory: string): void {
  let fd: number;
  try {
    fd = openSync(directory, 'r');
  } catch (error) {
    if (process.platform === 'win32') return;
    throw error;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    if (process.platform !== 'win32') throw error;
  } finally {
    closeSync(fd);
  }
}
