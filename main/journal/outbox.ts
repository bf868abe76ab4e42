/**
 * The outbox: every domain event, in the order it happened, written in its change's transaction, as
 * an OutboxRecord (the event's facts, the sale by id: common/sale/events.ts). The head office's
 * uploader (issue #12) reads it from the last id it sent, and the sales it names from the journal,
 * and acknowledges what the head office has taken, which deletes it: unacknowledged, the outbox is
 * the largest table of the journal (a few hundred bytes an event, seven or so events a sale).
 */
import type { DatabaseSync } from 'node:sqlite';
import { toOutboxRecord, type DomainEvent, type OutboxRecord } from '../../common/sale/events.ts';

export interface OutboxEntry {
  readonly id: number;
  readonly record: OutboxRecord;
}

export class Outbox {
  readonly #append;
  readonly #after;
  readonly #acknowledge;

  constructor(db: DatabaseSync) {
    this.#append = db.prepare('INSERT INTO outbox (type, aggregate_id, occurred_at, payload) VALUES (?, ?, ?, ?)');
    this.#after = db.prepare('SELECT id, type, aggregate_id, occurred_at, payload FROM outbox WHERE id > ? ORDER BY id LIMIT ?');
    this.#acknowledge = db.prepare('DELETE FROM outbox WHERE id <= ?');
  }

  append(event: DomainEvent): void {
    const record = toOutboxRecord(event);
    this.#append.run(record.type, record.aggregateId, record.at, JSON.stringify(record.facts));
  }

  /** Up to `limit` events after `id`, oldest first. */
  after(id: number, limit: number): OutboxEntry[] {
    return (this.#after.all(id, limit) as { id: number; type: OutboxRecord['type']; aggregate_id: string; occurred_at: string; payload: string }[]).map((row) => ({
      id: row.id,
      record: { type: row.type, aggregateId: row.aggregate_id, at: row.occurred_at, facts: JSON.parse(row.payload) as Record<string, unknown> },
    }));
  }

  /** The head office has every event up to `id`: they leave the outbox. Answers how many left. */
  acknowledge(id: number): number {
    return Number(this.#acknowledge.run(id).changes);
  }
}
