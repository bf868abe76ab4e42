import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { DemoStation } from '../../common/head-office/demo-events.ts';
import type { UploadBatch } from '../../common/head-office/upload-schema.ts';
import type { UploadReply } from '../../common/head-office/upload-reply.ts';
import { SqliteOutbox } from './sqlite-outbox.ts';
import { Uploader, type UploaderStatus } from './uploader.ts';

/** The outbox on a journal file another connection holds locked: every call fails with SQLITE_BUSY while `busy`. */
class BusyOutbox extends SqliteOutbox {
  busy = false;
  private check(): void {
    if (this.busy) throw Object.assign(new Error('database is locked'), { code: 'ERR_SQLITE_ERROR', errcode: 5 });
  }
  override pending(limit: number) {
    this.check();
    return super.pending(limit);
  }
  override acknowledge(throughSeq: number) {
    this.check();
    super.acknowledge(throughSeq);
  }
  override lastSeq() {
    this.check();
    return super.lastSeq();
  }
  override backlog() {
    this.check();
    return super.backlog();
  }
}

/** A head office that acknowledges everything it is sent. */
function acknowledging(sent: UploadBatch[]) {
  return {
    stationId: 'S1',
    upload: async (batch: UploadBatch): Promise<UploadReply> => {
      sent.push(batch);
      return { ok: true, ackedThroughSeq: batch.events.at(-1)?.seq ?? 0, stored: batch.events.length, duplicates: 0 };
    },
  };
}

function until(uploader: Uploader, predicate: (status: UploaderStatus) => boolean): Promise<UploaderStatus> {
  return new Promise((resolve) => {
    const off = uploader.onStatus((status) => {
      if (!predicate(status)) return;
      off();
      resolve(status);
    });
  });
}

describe('the uploader when its outbox fails', () => {
  it('retries instead of rejecting, says why in its status, and sends everything once the outbox answers again', async () => {
    const outbox = new BusyOutbox(new DatabaseSync(':memory:'));
    const demo = new DemoStation({ stationId: 'S1', seed: 4 });
    for (const event of demo.sale('cash').events) outbox.append(event);
    const sent: UploadBatch[] = [];
    const logs: string[] = [];
    const uploader = new Uploader({ outbox, client: acknowledging(sent), retryBaseMs: 5, retryMaxMs: 20, log: (line) => logs.push(line) });
    outbox.busy = true;
    const retrying = until(uploader, (status) => status.state === 'retrying');
    uploader.start();
    const status = await retrying;
    expect(status.lastError).toMatch(/the outbox failed: database is locked/);
    expect(sent).toHaveLength(0);
    outbox.busy = false;
    await uploader.drained();
    await uploader.stop();
    expect(sent.flatMap((batch) => batch.events.map((event) => event.seq))).toEqual([1, 2]);
    expect(logs.join('\n')).toMatch(/database is locked/);
  });

  it('keeps going when the acknowledgement cannot be recorded: the batch is sent again and acknowledged again', async () => {
    const outbox = new BusyOutbox(new DatabaseSync(':memory:'));
    for (const event of new DemoStation({ stationId: 'S1', seed: 5 }).sale('cash').events) outbox.append(event);
    const sent: UploadBatch[] = [];
    const client = acknowledging(sent);
    const uploader = new Uploader({
      outbox,
      client: {
        stationId: client.stationId,
        upload: async (batch) => {
          const reply = await client.upload(batch);
          outbox.busy = sent.length === 1; // the journal is busy just as the first answer arrives
          return reply;
        },
      },
      retryBaseMs: 5,
      retryMaxMs: 20,
    });
    uploader.start();
    await until(uploader, (status) => status.state === 'retrying');
    outbox.busy = false;
    await uploader.drained();
    await uploader.stop();
    expect(sent.map((batch) => batch.events.length)).toEqual([2, 2]);
    expect(outbox.backlog()).toEqual({ events: 0 });
  });
});

describe('stopping the uploader', () => {
  it('gives up on a request the head office has not answered, rather than wait for its timeout, and keeps the events pending', async () => {
    const outbox = new SqliteOutbox(new DatabaseSync(':memory:'));
    for (const event of new DemoStation({ stationId: 'S1', seed: 6 }).sale('cash').events) outbox.append(event);
    let aborted = false;
    const uploader = new Uploader({
      outbox,
      client: {
        stationId: 'S1',
        // A head office that never answers: only the signal ends the wait.
        upload: (_batch, signal) =>
          new Promise<UploadReply>((_resolve, reject) => {
            signal?.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('aborted'));
            });
          }),
      },
    });
    const sending = until(uploader, (status) => status.state === 'sending');
    uploader.start();
    await sending;
    await uploader.stop();
    expect(aborted).toBe(true);
    expect(uploader.status()).toMatchObject({ state: 'stopped', backlog: 2 });
  });
});
