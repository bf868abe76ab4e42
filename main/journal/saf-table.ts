/**
 * The store-and-forward queue's rows, in the journal database so a reversal is queued in the same
 * SQLite transaction that marks its original leg "reversal pending": a crash leaves both or neither.
 */
import type { DatabaseSync } from 'node:sqlite';

export interface SafItem {
  readonly id: number;
  /** The card leg (a reversal) whose outcome the answer decides. */
  readonly legId: number;
  /** The first-try MTI, e.g. 0400; a repeat is sent as its repeat MTI (0401). */
  readonly mti: string;
  /** Text fields as queued: no card data (profile v4) and no DE7 (set per transmission). */
  readonly fields: Readonly<Record<number, string>>;
  readonly attempts: number;
}

interface SafRow {
  id: number;
  leg_id: number;
  mti: string;
  fields: string;
  attempts: number;
}

export class SafTable {
  readonly #now: () => Date;
  readonly #insert;
  readonly #selectAll;
  readonly #count;
  readonly #attempt;
  readonly #delete;

  constructor(db: DatabaseSync, now: () => Date) {
    this.#now = now;
    this.#insert = db.prepare('INSERT INTO saf_queue (leg_id, mti, fields, queued_at) VALUES (?, ?, ?, ?)');
    this.#selectAll = db.prepare('SELECT id, leg_id, mti, fields, attempts FROM saf_queue ORDER BY id');
    this.#count = db.prepare('SELECT count(*) AS n FROM saf_queue');
    this.#attempt = db.prepare('UPDATE saf_queue SET attempts = attempts + 1, last_attempt_at = ? WHERE id = ?');
    this.#delete = db.prepare('DELETE FROM saf_queue WHERE id = ?');
  }

  enqueue(legId: number, mti: string, fields: Readonly<Record<number, string>>): number {
    return Number(this.#insert.run(legId, mti, JSON.stringify(fields), this.#now().toISOString()).lastInsertRowid);
  }

  /** Every queued item, oldest first: the order they are sent in. */
  items(): SafItem[] {
    return (this.#selectAll.all() as unknown as SafRow[]).map((row) => ({
      id: row.id,
      legId: row.leg_id,
      mti: row.mti,
      fields: JSON.parse(row.fields) as Record<number, string>,
      attempts: row.attempts,
    }));
  }

  get size(): number {
    return (this.#count.get() as { n: number }).n;
  }

  /** Counted before the message goes out, so a crash mid-send still makes the next one a repeat. */
  recordAttempt(id: number): void {
    this.#attempt.run(this.#now().toISOString(), id);
  }

  remove(id: number): void {
    this.#delete.run(id);
  }
}
