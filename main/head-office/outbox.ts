/**
 * The station's outbox as the uploader sees it. Whatever keeps the events (the journal's SQLite
 * database, in the same transaction as each change) implements this; the uploader needs nothing
 * else of it.
 *
 * Rules an implementation keeps:
 * - sequence numbers start at 1, grow by 1 with each event, never skip and are never reused (not
 *   even after acknowledged events are pruned);
 * - an event, once appended, never changes;
 * - acknowledged events are kept a while (`resendFrom` may need them: a head office restored from a
 *   backup asks for events it had acknowledged).
 */
import type { UploadEvent } from '../../common/head-office/upload-schema.ts';

export interface OutboxBacklog {
  /** Events the head office has not acknowledged. */
  readonly events: number;
  /** When the oldest of them happened (ISO 8601), absent when there are none. */
  readonly oldestOccurredAt?: string;
}

export interface Outbox {
  /** Events not acknowledged yet, lowest sequence first, at most `limit`. */
  pending(limit: number): readonly UploadEvent[];
  /** The head office holds every event up to `throughSeq`. Never moves the mark back. */
  acknowledge(throughSeq: number): void;
  /**
   * The head office is missing the events from `seq` on (it reported a gap): make them pending
   * again. Throws OutboxEventsGone when the outbox no longer has them.
   */
  resendFrom(seq: number): void;
  /** The newest sequence number, acknowledged or not; 0 when nothing was ever appended. */
  lastSeq(): number;
  backlog(): OutboxBacklog;
}

export class OutboxEventsGone extends Error {
  readonly seq: number;
  constructor(seq: number, oldestKept: number | undefined) {
    super(`the head office asks for events from sequence ${seq}, but the outbox ${oldestKept === undefined ? 'keeps none' : `keeps them only from ${oldestKept}`}: they cannot be sent again`);
    this.seq = seq;
  }
}
