/**
 * The outbox: every domain event, in the order it happened, written in its change's transaction.
 * The head office's uploader (issue #12) reads it from the last id it sent; nothing here deletes.
 */
import type { DatabaseSync } from 'node:sqlite';
import { aggregateIdOf, type DomainEvent } from '../../common/sale/events.ts';

export interface OutboxEntry {
  readonly id: number;
  readonly event: DomainEvent;
}

export class Outbox {
  readonly #append;
  readonly #after;

  constructor(db: DatabaseSync) {
    this.#append = db.prepare('INSERT INTO outbox (type, aggregate_id, occurred_at, payload) VALUES (?, ?, ?, ?)');
    this.#after = db.prepare('SELECT id, payload FROM outbox WHERE id > ? ORDER BY id LIMIT ?');
  }

  append(event: DomainEvent): void {
    this.#append.run(event.type, aggregateIdOf(event), event.at, JSON.stringify(event));
  }

  /** Up to `limit` events after `id`, oldest first. */
  after(id: number, limit: number): OutboxEntry[] {
    return (this.#after.all(id, limit) as { id: number; payload: string }[]).map((row) => ({ id: row.id, event: JSON.parse(row.payload) as DomainEvent }));
  }
}
