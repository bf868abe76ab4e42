/**
 * Sends the station's outbox to the head office, in sequence order, one batch at a time, for as long
 * as the station runs. Nothing is dropped on the station's side until the head office has
 * acknowledged it, and the head office stores each event once however often it is sent, so any
 * crash or outage (of the station, the network or the head office, for seconds or for days) ends
 * with everything uploaded exactly once.
 *
 * - No answer, a failure, an unsigned answer: wait (exponential backoff with jitter, capped) and
 *   send the same events again.
 * - A gap reported by the head office: mark the outbox pending from where it says, and go on.
 * - A refusal (malformed batch, wrong station, sequence conflict, unknown schema version): the
 *   uploader cannot fix that; it says so in its status and tries again at the slowest pace, in case
 *   the head office is upgraded or an operator repairs the station.
 * - Idle: a heartbeat (an empty batch) now and then, so the head office knows the station is alive.
 */
import { uuidV7 } from '../../common/head-office/uuid-v7.ts';
import type { HeadOfficeStatus } from '../../common/head-office/upload-status.ts';
import { UPLOAD_SCHEMA_VERSION } from '../../common/head-office/upload-schema.ts';
import type { UploadReply } from '../../common/head-office/upload-reply.ts';
import { backoffDelay } from '../acquirer/backoff.ts';
import type { HeadOfficeClient } from './head-office-client.ts';
import type { Outbox, OutboxBacklog } from './outbox.ts';

export type UploaderState = HeadOfficeStatus['state'];
export type UploaderStatus = HeadOfficeStatus;

export interface UploaderOptions {
  readonly outbox: Outbox;
  readonly client: Pick<HeadOfficeClient, 'upload' | 'stationId'>;
  /** Events per batch. */
  readonly batchSize?: number;
  /** Backoff after a failed attempt: first wait, and the longest. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** How often an idle station says it is alive, and looks at its outbox without being told. */
  readonly heartbeatMs?: number;
  readonly log?: (line: string) => void;
  readonly random?: () => number;
}

export class Uploader {
  private readonly outbox: Outbox;
  private readonly client: UploaderOptions['client'];
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly heartbeatMs: number;
  private readonly log: (line: string) => void;
  private readonly random: () => number;
  private readonly listeners = new Set<(status: UploaderStatus) => void>();
  private state: UploaderState = 'stopped';
  private lastError: string | undefined;
  private lastAcknowledgedAt: string | undefined;
  private nextAttemptAt: string | undefined;
  private failures = 0;
  private lastContact = 0;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private stopping = false;
  /** The request in flight: stop() gives up on it rather than wait for its answer or its timeout. */
  private inFlight: AbortController | undefined;
  private lastBacklog: OutboxBacklog = { events: 0 };
  /** Events per batch: the batchSize option, halved each time the head office finds a batch too large. */
  private batchLimit: number;

  constructor(options: UploaderOptions) {
    this.outbox = options.outbox;
    this.client = options.client;
    this.batchLimit = options.batchSize ?? 500;
    this.retryBaseMs = options.retryBaseMs ?? 1_000;
    this.retryMaxMs = options.retryMaxMs ?? 60_000;
    this.heartbeatMs = options.heartbeatMs ?? 60_000;
    this.log = options.log ?? (() => {});
    this.random = options.random ?? Math.random;
  }

  status(): UploaderStatus {
    const backlog = this.readBacklog();
    return {
      state: this.state,
      backlog: backlog.events,
      ...(backlog.oldestOccurredAt ? { oldestPendingAt: backlog.oldestOccurredAt } : {}),
      ...(this.lastAcknowledgedAt ? { lastAcknowledgedAt: this.lastAcknowledgedAt } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.nextAttemptAt ? { nextAttemptAt: this.nextAttemptAt } : {}),
    };
  }

  /** The outbox's backlog, or the last one read when the outbox cannot answer now (SQLITE_BUSY). */
  private readBacklog(): OutboxBacklog {
    try {
      this.lastBacklog = this.outbox.backlog();
    } catch (error) {
      this.log(`the outbox's backlog could not be read: ${messageOf(error)}`);
    }
    return this.lastBacklog;
  }

  /** Called on every change of state and after every acknowledgement. Returns an unsubscribe. */
  onStatus(listener: (status: UploaderStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once everything in the outbox is acknowledged and the uploader is idle. */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      const check = (status: UploaderStatus) => {
        if (status.state !== 'idle' || status.backlog > 0) return;
        unsubscribe();
        resolve();
      };
      const unsubscribe = this.onStatus(check);
      check(this.status());
    });
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** New events are in the outbox: send them now rather than at the next heartbeat or retry. */
  notify(): void {
    if (this.state !== 'retrying' && this.state !== 'refused') this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    this.inFlight?.abort();
    await this.running;
    this.running = undefined;
  }

  private setState(state: UploaderState, fields: { lastError?: string; nextAttemptAt?: string } = {}): void {
    this.state = state;
    this.lastError = fields.lastError ?? (state === 'refused' || state === 'retrying' ? this.lastError : undefined);
    this.nextAttemptAt = fields.nextAttemptAt;
    const status = this.status();
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch (error) {
        this.log(`an upload status listener failed: ${messageOf(error)}`);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => {
      this.wake = undefined;
    });
  }

  /**
   * Runs until stopped and never rejects: whatever a turn throws (the outbox's SQLite busy or
   * failing, say) is a reason to try again later, never an unhandled rejection that ends the station.
   */
  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.turn();
      } catch (error) {
        await this.retryLater(`the outbox failed: ${messageOf(error)}`);
      }
    }
    this.setState('stopped');
  }

  /** One step: sleep while idle, or send the next batch and act on the answer. */
  private async turn(): Promise<void> {
    const events = this.outbox.pending(this.batchLimit);
    if (events.length === 0 && Date.now() - this.lastContact < this.heartbeatMs) {
      this.setState('idle');
      await this.sleep(this.heartbeatMs - (Date.now() - this.lastContact));
      return;
    }
    this.setState('sending');
    let reply: UploadReply;
    const inFlight = new AbortController();
    this.inFlight = inFlight;
    try {
      reply = await this.client.upload(
        { schemaVersion: UPLOAD_SCHEMA_VERSION, stationId: this.client.stationId, batchId: uuidV7(), stationLastSeq: this.outbox.lastSeq(), events: [...events] },
        inFlight.signal,
      );
    } catch (error) {
      // Given up by stop(): whatever the head office did with it, the batch is sent again next time.
      if (this.stopping) return;
      await this.retryLater(messageOf(error));
      return;
    } finally {
      this.inFlight = undefined;
    }
    this.lastContact = Date.now();
    if (reply.ok) {
      this.failures = 0;
      this.outbox.acknowledge(reply.ackedThroughSeq);
      this.lastAcknowledgedAt = new Date().toISOString();
      return;
    }
    if (reply.error === 'too_large' && events.length > 1) {
      this.batchLimit = Math.ceil(events.length / 2);
      this.log(`the head office found a batch of ${events.length} events too large: sending ${this.batchLimit} at a time`);
      return;
    }
    if (reply.error === 'sequence_gap' && reply.expectedSeq !== undefined) {
      this.log(`head office is missing events from sequence ${reply.expectedSeq}: sending them again`);
      try {
        this.outbox.resendFrom(reply.expectedSeq);
        return;
      } catch (error) {
        await this.refused(messageOf(error));
        return;
      }
    }
    await this.refused(`${reply.error}: ${reply.message}`);
  }

  private async retryLater(reason: string): Promise<void> {
    const base = backoffDelay(this.failures, this.retryBaseMs, this.retryMaxMs);
    this.failures += 1;
    // Jitter: after a head-office outage, hundreds of stations must not all come back at once.
    const delay = Math.round(base * (0.5 + this.random() / 2));
    if (this.failures === 1 || this.failures % 10 === 0) this.log(`upload failed (${reason}); retrying in ${delay} ms (attempt ${this.failures})`);
    this.setState('retrying', { lastError: reason, nextAttemptAt: new Date(Date.now() + delay).toISOString() });
    await this.sleep(delay);
  }

  private async refused(reason: string): Promise<void> {
    this.log(`the head office refused the outbox's next batch: ${reason}`);
    this.setState('refused', { lastError: reason, nextAttemptAt: new Date(Date.now() + this.retryMaxMs).toISOString() });
    await this.sleep(this.retryMaxMs);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
