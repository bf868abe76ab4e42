/**
 * Store-and-forward (jPOS SAF): messages the host must receive (reversals) wait in the journal
 * database and go out oldest first, one at a time, only while the link is up (signed on). An item
 * stays queued until the host answers it; any answer of the right type (0410 for a 0400), whatever
 * its DE39, ends it, because the host has then decided and a repeat would not change its mind.
 * After the first try an item is sent as a repeat (0400 → 0401), so the host can tell; the try is
 * counted before the send, so even a crash mid-send makes the next one a repeat. A try that gets no
 * answer waits a growing delay before the next (the link also drops and signs on again first).
 */
import { EventEmitter } from 'node:events';
import type { LinkState } from '../../common/acquirer.ts';
import { createMessage, type IsoMessage } from '../../payments/iso8583/message.ts';
import { responseMti } from '../../payments/iso8583/mti.ts';
import type { Journal } from '../journal/journal.ts';
import type { SafItem } from '../journal/saf-table.ts';
import { backoffDelay } from './backoff.ts';
import { transmissionDateTime } from './message-clock.ts';

export const SAF_RETRY_BASE_MS = 5_000;
export const SAF_RETRY_MAX_MS = 5 * 60_000;

/** The repeat of a first-try MTI: origin digit 1 ("acquirer repeat"), 0400 → 0401. */
export function repeatMti(mti: string): string {
  return `${mti.slice(0, 3)}1`;
}

export interface LinkStateSource {
  readonly state: LinkState;
  on(event: 'state', listener: (state: LinkState) => void): unknown;
  off(event: 'state', listener: (state: LinkState) => void): unknown;
}

export interface StoreAndForwardOptions {
  readonly journal: Journal;
  readonly link: { request(message: IsoMessage): Promise<IsoMessage> };
  readonly linkState: LinkStateSource;
  readonly now: () => Date;
  /** Records the host's answer; runs in the journal transaction that removes the item. */
  readonly onAnswer: (item: SafItem, responseCode: string | undefined) => void;
  readonly log: (line: string) => void;
  readonly retryBaseMs?: number;
}

export class StoreAndForward extends EventEmitter<{ changed: [pending: number] }> {
  readonly #options: StoreAndForwardOptions;
  readonly #retryBaseMs: number;
  /** Item id → earliest next try (epoch ms). In memory: after a restart every item is due at once. */
  readonly #notBefore = new Map<number, number>();
  #draining: Promise<void> | undefined;
  #running = false;
  #again = false;
  #force = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  readonly #onLinkState = (state: LinkState) => {
    if (state === 'up') this.kick();
  };

  constructor(options: StoreAndForwardOptions) {
    super();
    this.#options = options;
    this.#retryBaseMs = options.retryBaseMs ?? SAF_RETRY_BASE_MS;
    options.linkState.on('state', this.#onLinkState);
  }

  get pending(): number {
    return this.#options.journal.saf.size;
  }

  /** Something was queued, or the link came up: send what is due. */
  kick(): void {
    // Nobody awaits a kick: a failure (a journal write refused, say) is logged and retried later,
    // never left to crash the station as an unhandled rejection.
    this.flush().catch((error: unknown) => {
      this.#options.log(`store-and-forward: ${error instanceof Error ? error.message : String(error)}; retrying in ${Math.round(this.#retryBaseMs / 1000)} s`);
      if (this.#stopped) return;
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.kick(), this.#retryBaseMs);
    });
  }

  /**
   * Sends what is due; resolves when the queue is empty, the link is down, or the head waits for its
   * retry time. `now` lets the head go at once, backoff or not: a cashier waiting on a void or a
   * settlement should not wait for a timer.
   */
  flush(options: { now?: boolean } = {}): Promise<void> {
    if (options.now) this.#force = true;
    this.#again = true;
    if (!this.#running) this.#draining = this.#drain();
    return this.#draining ?? Promise.resolve();
  }

  stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#options.linkState.off('state', this.#onLinkState);
    return this.#draining ?? Promise.resolve();
  }

  /** One drain at a time; a flush asked for meanwhile makes it go round once more. */
  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#again && !this.#stopped) {
        this.#again = false;
        await this.#sendDue();
      }
    } finally {
      this.#running = false;
    }
  }

  async #sendDue(): Promise<void> {
    while (!this.#stopped && this.#options.linkState.state === 'up') {
      const [head] = this.#options.journal.saf.items();
      if (head === undefined) return;
      const waitMs = this.#force ? 0 : (this.#notBefore.get(head.id) ?? 0) - this.#options.now().getTime();
      if (waitMs > 0) {
        this.#retryIn(waitMs);
        return;
      }
      this.#force = false;
      await this.#send(head);
    }
  }

  async #send(item: SafItem): Promise<void> {
    const { journal, link, now, log } = this.#options;
    const mti = item.attempts === 0 ? item.mti : repeatMti(item.mti);
    const sentAt = transmissionDateTime(now());
    journal.atomically(() => {
      journal.saf.recordAttempt(item.id);
      journal.legs.setTransmittedAt(item.legId, sentAt);
    });
    const message = createMessage(mti, { ...item.fields, 7: sentAt });
    let response: IsoMessage;
    try {
      response = await link.request(message);
    } catch (error) {
      this.#postpone(item, `${mti} STAN ${item.fields[11] ?? '?'} not answered: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (response.mti !== responseMti(mti)) {
      this.#postpone(item, `${mti} STAN ${item.fields[11] ?? '?'} answered with a ${response.mti}`);
      return;
    }
    const de39 = response.fields.get(39);
    const responseCode = typeof de39 === 'string' ? de39 : undefined;
    journal.atomically(() => {
      journal.saf.remove(item.id);
      this.#options.onAnswer(item, responseCode);
    });
    this.#notBefore.delete(item.id);
    log(`store-and-forward: ${mti} STAN ${item.fields[11] ?? '?'} answered ${response.mti} DE39 ${responseCode ?? '-'}`);
    this.emit('changed', this.pending);
  }

  #postpone(item: SafItem, problem: string): void {
    // item.attempts is the count before this try: the first failure waits the base delay.
    const delay = backoffDelay(item.attempts, this.#retryBaseMs, SAF_RETRY_MAX_MS);
    this.#notBefore.set(item.id, this.#options.now().getTime() + delay);
    this.#options.log(`store-and-forward: ${problem}; next try in ${Math.round(delay / 1000)} s`);
  }

  #retryIn(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.kick(), delayMs);
  }
}
