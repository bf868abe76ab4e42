import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { DemoStation } from '../../common/head-office/demo-events.ts';
import { OutboxEventsGone } from './outbox.ts';
import { SqliteOutbox } from './sqlite-outbox.ts';

function outbox() {
  const db = new DatabaseSync(':memory:');
  return { db, outbox: new SqliteOutbox(db), demo: new DemoStation({ stationId: 'S1', seed: 3 }) };
}

describe('the SQLite outbox', () => {
  it('numbers events 1, 2, 3, … and hands out the unacknowledged ones in order', () => {
    const { outbox: box, demo } = outbox();
    const appended = demo.sale('card').events.map((event) => box.append(event));
    expect(appended.map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(box.pending(2).map((event) => event.seq)).toEqual([1, 2]);
    box.acknowledge(2);
    expect(box.pending(10).map((event) => event.seq)).toEqual([3]);
    expect(box.backlog()).toEqual({ events: 1, oldestOccurredAt: appended[2]!.occurredAt });
    box.acknowledge(1);
    expect(box.pending(10)).toHaveLength(1);
    box.acknowledge(99);
    expect(box.backlog()).toEqual({ events: 0 });
    expect(box.lastSeq()).toBe(3);
  });

  it('gives a rolled-back event’s number back, so the sequence has no gaps', () => {
    const { db, outbox: box, demo } = outbox();
    const [first, second] = demo.sale('cash').events;
    db.exec('BEGIN');
    box.append(first!);
    db.exec('ROLLBACK');
    expect(box.append(second!).seq).toBe(1);
  });

  it('sends again from a gap the head office reports, unless those events were pruned', () => {
    const { outbox: box, demo } = outbox();
    for (let i = 0; i < 3; i++) for (const event of demo.sale('cash').events) box.append(event);
    box.acknowledge(6);
    box.resendFrom(3);
    expect(box.pending(10).map((event) => event.seq)).toEqual([3, 4, 5, 6]);
    box.acknowledge(6);
    expect(box.prune('9999-01-01T00:00:00Z')).toBe(6);
    expect(() => box.resendFrom(2)).toThrow(OutboxEventsGone);
    expect(() => box.resendFrom(20)).toThrow(/restored from a backup/);
    // Pruning never lets a number be used again.
    expect(box.append(demo.sale('cash').events[0]!).seq).toBe(7);
  });
});
