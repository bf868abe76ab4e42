/**
 * A gzip-compressed POSIX ustar archive, written from memory: what `tar -xzf` on Linux and macOS,
 * and tar.exe on Windows 10+, open. Support bundles are small (logs are capped), so no streaming.
 */
import { gzipSync } from 'node:zlib';

export interface ArchiveEntry {
  /** Relative, forward slashes, at most 100 bytes (ustar's name field; no prefix field used). */
  readonly path: string;
  readonly data: Buffer;
  readonly mtime?: Date;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(entry: ArchiveEntry): Buffer {
  const name = Buffer.from(entry.path, 'utf8');
  if (name.length > 100 || entry.path.startsWith('/') || entry.path.split('/').includes('..')) throw new Error(`archive path not allowed: ${entry.path}`);
  const block = Buffer.alloc(BLOCK);
  name.copy(block, 0);
  block.write(octal(0o640, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(entry.data.length, 12), 124, 'ascii');
  block.write(octal(Math.floor((entry.mtime ?? new Date()).getTime() / 1000), 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write('0', 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

export function tarGz(entries: readonly ArchiveEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry), entry.data);
    const padding = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (padding > 0) parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts));
}
