/**
 * Persisted counters: the STAN (DE11, 000001–999999, never reused after a restart), the receipt
 * number (the human number of each sale, per station) and the tender ids.
 */
import type { DatabaseSync } from 'node:sqlite';

export class Counters {
  readonly #read;
  readonly #write;

  constructor(db: DatabaseSync) {
    this.#read = db.prepare('SELECT value FROM counters WHERE name = ?');
    this.#write = db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value');
  }

  /** The next value of `name`, from 1; `wrapAt` makes it go round (999999 → 1). Call inside a unit of work. */
  next(name: string, wrapAt = Number.MAX_SAFE_INTEGER): number {
    const row = this.#read.get(name) as { value: number } | undefined;
    const next = ((row?.value ?? 0) % wrapAt) + 1;
    this.#write.run(name, next);
    return next;
  }
}
