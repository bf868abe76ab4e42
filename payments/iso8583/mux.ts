/**
 * Request/response multiplexer over one channel, like jPOS QMUX: many requests in flight, each
 * response matched to its request by MTI class + DE41 (terminal) + DE11 (STAN), whatever order the
 * responses come back in. The MTI class maps the function digit with 0022446789, so a 0210 answers
 * a 0200, a 0410 a 0400 or 0401, a 0810 an 0800.
 */
import { EventEmitter } from 'node:events';
import { ChannelClosedError, type IsoChannel } from './channel.ts';
import { canonicalText } from './field-spec.ts';
import { getText, type IsoMessage } from './message.ts';
import { isResponseMti, mtiMatchClass } from './mti.ts';

const STAN_FIELD = 11;
const TID_FIELD = 41;

export class MuxTimeoutError extends Error {
  override name = 'MuxTimeoutError';
  readonly timeoutMs: number;

  constructor(description: string, timeoutMs: number) {
    super(`no response to ${description} within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

export interface RequestOptions {
  timeoutMs: number;
}

export interface IsoMuxEvents {
  /** A message that answers no request in flight: a late response after a timeout, or an unsolicited message. */
  unmatched: [message: IsoMessage];
}

interface Pending {
  resolve(response: IsoMessage): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class IsoMux extends EventEmitter<IsoMuxEvents> {
  readonly channel: IsoChannel;
  readonly #pending = new Map<string, Pending>();

  constructor(channel: IsoChannel) {
    super();
    this.channel = channel;
    channel.on('message', (message) => this.#receive(message));
    channel.on('close', (cause) => this.#rejectAll(new ChannelClosedError(`channel to ${channel.remoteAddress} closed${cause ? `: ${cause.message}` : ''}`)));
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Sends a request and resolves with its response; rejects with MuxTimeoutError if none comes in time. */
  request(message: IsoMessage, options: RequestOptions): Promise<IsoMessage> {
    return new Promise((resolve, reject) => {
      if (!this.channel.isOpen) throw new ChannelClosedError(`channel to ${this.channel.remoteAddress} is closed`);
      const key = this.#key(message);
      if (key === undefined) throw new TypeError('a request needs DE11 and DE41 so its response can be matched');
      if (this.#pending.has(key)) throw new Error(`a ${message.mti} with the same DE41 and DE11 is already in flight`);
      const description = `${message.mti} STAN ${getText(message, STAN_FIELD)}`;
      const timer = setTimeout(() => {
        this.#pending.delete(key);
        reject(new MuxTimeoutError(description, options.timeoutMs));
      }, options.timeoutMs);
      this.#pending.set(key, { resolve, reject, timer });
      try {
        this.channel.send(message);
      } catch (error) {
        clearTimeout(timer);
        this.#pending.delete(key);
        throw error;
      }
    });
  }

  /** Closes the channel; requests in flight reject with ChannelClosedError. */
  close(): void {
    this.#rejectAll(new ChannelClosedError('mux closed'));
    this.channel.close();
  }

  #receive(message: IsoMessage): void {
    const key = isResponseMti(message.mti) ? this.#key(message) : undefined;
    const pending = key === undefined ? undefined : this.#pending.get(key);
    if (key === undefined || pending === undefined) {
      this.emit('unmatched', message);
      return;
    }
    clearTimeout(pending.timer);
    this.#pending.delete(key);
    pending.resolve(message);
  }

  /** Key fields compared as they travel, so "42" set by the caller matches "000042" echoed back. */
  #key(message: IsoMessage): string | undefined {
    const stan = getText(message, STAN_FIELD);
    const tid = getText(message, TID_FIELD);
    if (stan === undefined || tid === undefined) return undefined;
    const { spec } = this.channel.packager;
    const stanSpec = spec.get(STAN_FIELD);
    const tidSpec = spec.get(TID_FIELD);
    const canonicalStan = stanSpec ? canonicalText(stanSpec, stan) : stan;
    const canonicalTid = tidSpec ? canonicalText(tidSpec, tid) : tid;
    return `${mtiMatchClass(message.mti)}|${canonicalTid}|${canonicalStan}`;
  }

  #rejectAll(error: Error): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }
}
