/** An Outbox in memory for the benchmark's simulated stations: the uploader is the product's, the storage is not what is measured. */
import type { UploadEvent, UploadEventDraft } from '../common/head-office/upload-schema.ts';
import type { Outbox, OutboxBacklog } from '../main/head-office/outbox.ts';

export class MemoryOutbox implements Outbox {
  private readonly events: UploadEvent[] = [];
  private acked = 0;

  append(drafts: readonly UploadEventDraft[]): void {
    for (const draft of drafts) this.events.push({ ...draft, seq: this.events.length + 1 } as UploadEvent);
  }

  pending(limit: number): readonly UploadEvent[] {
    return this.events.slice(this.acked, this.acked + limit);
  }

  acknowledge(throughSeq: number): void {
    this.acked = Math.max(this.acked, Math.min(throughSeq, this.events.length));
  }

  resendFrom(seq: number): void {
    this.acked = Math.min(this.acked, seq - 1);
  }

  lastSeq(): number {
    return this.events.length;
  }

  backlog(): OutboxBacklog {
    const oldest = this.events[this.acked];
    return oldest ? { events: this.events.length - this.acked, oldestOccurredAt: oldest.occurredAt } : { events: 0 };
  }
}
