/**
 * The reliable half of the PIN pad link, shared by both ends: one frame in flight at a time, an ACK
 * expected within ACK_TIMEOUT_MS, and a retransmit on NAK or silence, at most MAX_RETRANSMITS times.
 * Received frames are acknowledged here; damaged ones are NAKed so the sender retransmits.
 */
import { ACK, encodeFrame, LinkDecoder, NAK } from './frame.ts';

export const ACK_TIMEOUT_MS = 300;
export const MAX_RETRANSMITS = 3;

export class PinPadLinkError extends Error {
  override readonly name = 'PinPadLinkError';
}

interface Outstanding {
  readonly frame: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  retransmits: number;
  timer?: ReturnType<typeof setTimeout>;
}

export class FrameLink {
  readonly #write: (bytes: Uint8Array) => Promise<void>;
  readonly #decoder = new LinkDecoder();
  readonly #queue: Outstanding[] = [];
  #inFlight: Outstanding | undefined;

  constructor(write: (bytes: Uint8Array) => Promise<void>) {
    this.#write = write;
  }

  /** Sends one payload and resolves once the other end has acknowledged it. */
  send(payload: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ frame: encodeFrame(payload), resolve, reject, retransmits: 0 });
      this.#next();
    });
  }

  /** Feeds received bytes; returns the payloads of the intact frames among them. */
  receive(bytes: Uint8Array): Uint8Array[] {
    const payloads: Uint8Array[] = [];
    for (const unit of this.#decoder.push(bytes)) {
      if (unit.kind === 'frame') {
        payloads.push(unit.payload);
        this.#control(ACK);
      } else if (unit.kind === 'corrupt') {
        this.#control(NAK);
      } else if (unit.kind === 'ack') {
        this.#settle();
      } else {
        this.#retransmit('NAK');
      }
    }
    return payloads;
  }

  /** The transport is gone: everything waiting fails now rather than at its timeout. */
  close(reason: Error): void {
    const pending = [...(this.#inFlight ? [this.#inFlight] : []), ...this.#queue.splice(0)];
    if (this.#inFlight?.timer) clearTimeout(this.#inFlight.timer);
    this.#inFlight = undefined;
    for (const item of pending) item.reject(reason);
  }

  #control(byte: number): void {
    this.#write(Uint8Array.of(byte)).catch(() => {
      // A lost ACK/NAK is recovered by the other side's retransmit.
    });
  }

  #next(): void {
    if (this.#inFlight || this.#queue.length === 0) return;
    this.#inFlight = this.#queue.shift() as Outstanding;
    this.#transmit(this.#inFlight);
  }

  #transmit(item: Outstanding): void {
    item.timer = setTimeout(() => this.#retransmit('timeout'), ACK_TIMEOUT_MS);
    this.#write(item.frame).catch((error: unknown) => this.#fail(item, error instanceof Error ? error : new PinPadLinkError(String(error))));
  }

  #retransmit(cause: 'NAK' | 'timeout'): void {
    const item = this.#inFlight;
    if (!item) return;
    if (item.timer) clearTimeout(item.timer);
    if (item.retransmits >= MAX_RETRANSMITS) {
      this.#fail(item, new PinPadLinkError(`PIN pad did not acknowledge a frame after ${MAX_RETRANSMITS} retransmits (last: ${cause})`));
      return;
    }
    item.retransmits += 1;
    this.#transmit(item);
  }

  #settle(): void {
    const item = this.#inFlight;
    if (!item) return;
    if (item.timer) clearTimeout(item.timer);
    this.#inFlight = undefined;
    item.resolve();
    this.#next();
  }

  #fail(item: Outstanding, error: Error): void {
    if (item.timer) clearTimeout(item.timer);
    if (this.#inFlight === item) this.#inFlight = undefined;
    item.reject(error);
    this.#next();
  }
}
