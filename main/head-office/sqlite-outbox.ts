/**
 * An Outbox in SQLite (node:sqlite), with its own versioned migrations. `append` writes on the
 * connection it is given without a transaction of its own, so the journal can call it inside the
 * transaction that records the change itself: the change and its event commit together or not at all.
 *
 * AUTOINCREMENT keeps sequence numbers from ever being reused, even after pruning; a rolled-back
 * append gives its number back, so the sequence has no gaps.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { UploadEvent, UploadEventDraft } from '../../common/head-office/upload-schema.ts';
import { migrate, type MigrationPlan } from '../../common-node/sqlite-migrations.ts';
import { OutboxEventsGone, type Outbox, type OutboxBacklog } from './outbox.ts';

/**
 * The outbox's tables. A database that is only an outbox migrates with OUTBOX_MIGRATIONS; the
 * journal, whose plan owns its file's user_version, adds this SQL as one step of its own plan and
 * opens the outbox with `{ migrate: false }`.
 */
export const OUTBOX_SCHEMA_SQL = `
  CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT NOT NULL UNIQUE,
    type        TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    event       TEXT NOT NULL
  );
  CREATE TABLE outbox_ack (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    acked_through INTEGER NOT NULL
  );
  INSERT INTO outbox_ack (id, acked_through) VALUES (1, 0);`;

export const OUTBOX_MIGRATIONS: MigrationPlan = { name: 'outbox', owner: 'this station', migrations: [OUTBOX_SCHEMA_SQL] };

interface OutboxRow {
  seq: number;
  event: string;
}

export class SqliteOutbox implements Outbox {
  private readonly db: DatabaseSync;
  /** The statements a sale's commit runs, prepared once (the journal appends inside its hottest path). */
  private readonly insert;
  private readonly held;

  constructor(db: DatabaseSync, options: { migrate?: boolean } = {}) {
    this.db = db;
    if (options.migrate !== false) migrate(db, OUTBOX_MIGRATIONS);
    this.insert = db.prepare('INSERT INTO outbox (event_id, type, occurred_at, event) VALUES (?, ?, ?, ?) RETURNING seq');
    this.held = db.prepare('SELECT 1 FROM outbox WHERE event_id = ?');
  }

  /** Adds an event and gives it its sequence number. Call it inside the transaction of the change it records. */
  append(draft: UploadEventDraft): UploadEvent {
    const { eventId, type, occurredAt } = draft;
    const row = this.insert.get(eventId, type, occurredAt, JSON.stringify(draft)) as { seq: number };
    return { ...draft, seq: row.seq } as UploadEvent;
  }

  /** Whether an event with this id was appended (and is still kept). */
  holds(eventId: string): boolean {
    return this.held.get(eventId) !== undefined;
  }

  private ackedThrough(): number {
    return (this.db.prepare('SELECT acked_through FROM outbox_ack WHERE id = 1').get() as { acked_through: number }).acked_through;
  }

  pending(limit: number): readonly UploadEvent[] {
    const rows = this.db.prepare('SELECT seq, event FROM outbox WHERE seq > (SELECT acked_through FROM outbox_ack WHERE id = 1) ORDER BY seq LIMIT ?').all(limit) as unknown as OutboxRow[];
    return rows.map((row) => ({ ...(JSON.parse(row.event) as UploadEventDraft), seq: row.seq }) as UploadEvent);
  }

  acknowledge(throughSeq: number): void {
    this.db.prepare('UPDATE outbox_ack SET acked_through = max(acked_through, min(?, (SELECT coalesce(max(seq), 0) FROM outbox))) WHERE id = 1').run(throughSeq);
  }

  resendFrom(seq: number): void {
    if (seq > this.lastSeq() + 1) throw new Error(`the head office expects sequence ${seq}, past this outbox's newest ${this.lastSeq()}: the outbox is older than what was sent from it (restored from a backup?)`);
    const oldest = (this.db.prepare('SELECT min(seq) AS seq FROM outbox').get() as { seq: number | null }).seq ?? undefined;
    if (seq <= this.lastSeq() && (oldest === undefined || seq < oldest)) throw new OutboxEventsGone(seq, oldest);
    this.db.prepare('UPDATE outbox_ack SET acked_through = min(acked_through, ?) WHERE id = 1').run(seq - 1);
  }

  lastSeq(): number {
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  backlog(): OutboxBacklog {
    const acked = this.ackedThrough();
    const { events } = this.db.prepare('SELECT count(*) AS events FROM outbox WHERE seq > ?').get(acked) as { events: number };
    const oldest = this.db.prepare('SELECT occurred_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT 1').get(acked) as { occurred_at: string } | undefined;
    return oldest ? { events, oldestOccurredAt: oldest.occurred_at } : { events };
  }

  /** Drops acknowledged events that happened before `before` (ISO 8601); returns how many. */
  prune(before: string): number {
    const result = this.db.prepare('DELETE FROM outbox WHERE seq <= ? AND occurred_at < ?').run(this.ackedThrough(), before);
    return Number(result.changes);
  }
}
