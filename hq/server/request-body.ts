/**
 * Reading request bodies without letting strangers spend the head office's memory. A station's
 * body is read only once its headers name an enrolled station and key (so nobody unknown gets a
 * byte read), up to a size cap, by at most a few requests at a time; the others wait their turn
 * unread, held back by TCP. The body's SHA-256 is taken as it streams, for the signature check.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export class BodyTooLarge extends Error {
  constructor(limit: number) {
    super(`the body is over ${limit} bytes`);
  }
}

export interface ReadBody {
  readonly body: Buffer;
  readonly sha256: string;
}

/** Reads the whole body, refusing it past `limit` bytes (the connection is then closed). */
export function readBody(request: IncomingMessage, limit: number): Promise<ReadBody> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const hash = createHash('sha256');
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge(limit));
        request.destroy();
        return;
      }
      hash.update(chunk);
      chunks.push(chunk);
    });
    request.on('end', () => resolve({ body: Buffer.concat(chunks, size), sha256: hash.digest('hex') }));
    request.on('error', reject);
    request.on('close', () => {
      if (!request.complete) reject(new Error('the client went away mid-body'));
    });
  });
}

/** At most `size` holders at once; the rest wait in order. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}
