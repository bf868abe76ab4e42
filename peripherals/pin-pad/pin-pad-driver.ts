/**
 * The station's side of a PIN pad: claims the CDC data interface, runs the framed link over its
 * bulk endpoints, and turns requests into typed results. The PIN itself never reaches this code;
 * a PIN request ends with an encrypted PIN block and its KSN, or with cancelled/timeout. A pad with
 * a stripe head (an encrypting reader) reports each swipe on its own; what reaches this code is the
 * masked, encrypted read (EncryptedCardRead), never the PAN or a track, and the PIN for that card
 * is asked for without the station ever naming the PAN (requestPinForReadCard).
 */
import type { EncryptedCardRead } from '../../common/card/encrypted-card-read.ts';
import type { Money } from '../../common/money.ts';
import { claimFirstInterface } from '../usb/claim-interface.ts';
import { findEndpoint, isUsbTimeout, UsbDisconnectedError, type MinimalUsbDevice, type UsbEndpointInfo } from '../usb/minimal-usb-device.ts';
import { FrameLink } from './frame-link.ts';
import { decodeResponse, encodeRequest, PinPadMessageError, type HeadBadRead, type PinPadRequest, type PinPadResponse } from './messages.ts';

export type PinResult = { readonly kind: 'entered'; readonly pinBlock: Buffer; readonly ksn: Buffer } | { readonly kind: 'cancelled' } | { readonly kind: 'timeout' };

/** A swipe on the pad's own head. */
export type HeadRead = { readonly kind: 'card'; readonly read: EncryptedCardRead } | { readonly kind: 'bad_read'; readonly reason: HeadBadRead };

type AwaitedResponse = Extract<PinPadResponse, { type: 'pinResult' | 'keyStatus' }>;

export const PIN_PAD_POLL_MS = 1000;
/** Beyond the pad's own entry timeout, how long the station waits before it gives up on the pad. */
export const PIN_RESPONSE_GRACE_MS = 5000;
const CDC_DATA_CLASS = 10;

interface Waiting {
  readonly type: AwaitedResponse['type'];
  readonly resolve: (response: AwaitedResponse) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class PinPadTimeoutError extends Error {
  override readonly name = 'PinPadTimeoutError';
}

/** The pad was asked for the PIN of the card its head read, and holds none (it forgot it, or restarted). */
export class PinPadNoCardError extends Error {
  override readonly name = 'PinPadNoCardError';
}

export class PinPadDriver {
  readonly #device: MinimalUsbDevice;
  #bulkIn: UsbEndpointInfo | undefined;
  #link: FrameLink | undefined;
  #waiting: Waiting | undefined;
  #stopping = false;
  readonly #headListeners = new Set<(read: HeadRead) => void>();

  constructor(device: MinimalUsbDevice) {
    this.#device = device;
  }

  async open(): Promise<void> {
    const iface = await claimFirstInterface(this.#device, (candidate) => candidate.alternate.interfaceClass === CDC_DATA_CLASS);
    const bulkOut = findEndpoint(iface, 'out', 'bulk');
    this.#bulkIn = findEndpoint(iface, 'in', 'bulk');
    if (!bulkOut || !this.#bulkIn) throw new Error('PIN pad: CDC data interface lacks bulk endpoints');
    const out = bulkOut.endpointNumber;
    this.#link = new FrameLink(async (bytes) => {
      await this.#device.transferOut(out, bytes, PIN_PAD_POLL_MS);
    });
    this.#stopping = false;
  }

  /** Reads the pad until stop() or failure; a failure (unplug included) is thrown to the caller. */
  async readLoop(): Promise<void> {
    const bulkIn = this.#bulkIn;
    const link = this.#link;
    if (!bulkIn || !link) throw new Error('PIN pad not opened');
    try {
      while (!this.#stopping) {
        let result;
        try {
          result = await this.#device.transferIn(bulkIn.endpointNumber, bulkIn.packetSize, PIN_PAD_POLL_MS);
        } catch (error) {
          if (isUsbTimeout(error)) continue;
          throw error;
        }
        if (result.status !== 'ok' || !result.data) continue;
        for (const payload of link.receive(new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength))) this.#deliver(payload);
      }
    } catch (error) {
      const reason = error instanceof Error ? error : new UsbDisconnectedError(String(error));
      link.close(reason);
      this.#rejectWaiting(reason);
      throw reason;
    }
  }

  /** `attempt` 2 and up tells the pad the host refused the previous PIN, so it prompts "try again". */
  async requestPin(request: { pan: string; amount: Money; timeoutSeconds: number; attempt?: number }): Promise<PinResult> {
    return this.#pinRequest(request.timeoutSeconds, {
      type: 'requestPin',
      pan: request.pan,
      amountMinor: request.amount.amountMinor,
      currency: request.amount.currency,
      timeoutSeconds: request.timeoutSeconds,
      attempt: request.attempt ?? 1,
    });
  }

  /**
   * The PIN for the card the pad's own head read: the pad forms the PIN block from the PAN it holds,
   * so the station never names it. PinPadNoCardError when the pad holds no card.
   */
  async requestPinForReadCard(request: { amount: Money; timeoutSeconds: number; attempt?: number }): Promise<PinResult> {
    return this.#pinRequest(request.timeoutSeconds, {
      type: 'requestPinForReadCard',
      amountMinor: request.amount.amountMinor,
      currency: request.amount.currency,
      timeoutSeconds: request.timeoutSeconds,
      attempt: request.attempt ?? 1,
    });
  }

  /** Tells the pad the card its head read is done with; the pad forgets it. */
  async endCard(): Promise<void> {
    await this.#send({ type: 'endCard' });
  }

  /** Swipes on the pad's own head, as they come (a pad without a head never reports any). */
  onHeadRead(listener: (read: HeadRead) => void): () => void {
    this.#headListeners.add(listener);
    return () => this.#headListeners.delete(listener);
  }

  async #pinRequest(timeoutSeconds: number, request: PinPadRequest): Promise<PinResult> {
    const answer = this.#expect('pinResult', (timeoutSeconds * 1000) + PIN_RESPONSE_GRACE_MS);
    await this.#send(request);
    const response = await answer;
    if (response.type !== 'pinResult') throw new PinPadMessageError('PIN pad answered a PIN request with key status');
    if (response.status === 'entered') return { kind: 'entered', pinBlock: Buffer.from(response.pinBlockHex, 'hex'), ksn: Buffer.from(response.ksnHex, 'hex') };
    if (response.status === 'no_card') throw new PinPadNoCardError('the PIN pad holds no card read by its head: swipe again');
    return { kind: response.status };
  }

  /** Asks the pad to abandon a PIN request; the pending requestPin resolves as cancelled. */
  async cancelPin(): Promise<void> {
    await this.#send({ type: 'cancel' });
  }

  async display(lines: readonly string[]): Promise<void> {
    await this.#send({ type: 'display', lines });
  }

  async keyStatus(): Promise<{ ksnHex: string; keyType: string; dataKsnHex?: string }> {
    const answer = this.#expect('keyStatus', PIN_PAD_POLL_MS * 3);
    await this.#send({ type: 'keyStatus' });
    const response = await answer;
    if (response.type !== 'keyStatus') throw new PinPadMessageError('PIN pad answered key status with a PIN result');
    return { ksnHex: response.ksnHex, keyType: response.keyType, ...(response.dataKsnHex === undefined ? {} : { dataKsnHex: response.dataKsnHex }) };
  }

  async close(): Promise<void> {
    this.#stopping = true;
    this.#rejectWaiting(new UsbDisconnectedError('PIN pad closed'));
    try {
      await this.#device.close();
    } catch {
      // Closing a device that is already gone has nothing left to release.
    }
  }

  async #send(request: PinPadRequest): Promise<void> {
    if (!this.#link) throw new Error('PIN pad not opened');
    try {
      await this.#link.send(encodeRequest(request));
    } catch (error) {
      this.#rejectWaiting(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  #expect(type: AwaitedResponse['type'], timeoutMs: number): Promise<AwaitedResponse> {
    if (this.#waiting) return Promise.reject(new Error('PIN pad is busy with another request'));
    const answer = new Promise<AwaitedResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = undefined;
        reject(new PinPadTimeoutError(`PIN pad did not answer within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.#waiting = { type, resolve, reject, timer };
    });
    answer.catch(() => {
      // Observed by the caller; this keeps an early link failure from surfacing as unhandled.
    });
    return answer;
  }

  #deliver(payload: Uint8Array): void {
    let response;
    try {
      response = decodeResponse(payload);
    } catch {
      return; // a message we cannot read is acknowledged and dropped; the request's timeout reports it
    }
    if (response.type === 'cardRead' || response.type === 'badRead') {
      const read: HeadRead = response.type === 'cardRead' ? { kind: 'card', read: response.read } : { kind: 'bad_read', reason: response.reason };
      for (const listener of [...this.#headListeners]) listener(read);
      return;
    }
    const waiting = this.#waiting;
    if (!waiting || waiting.type !== response.type) return;
    clearTimeout(waiting.timer);
    this.#waiting = undefined;
    waiting.resolve(response);
  }

  #rejectWaiting(error: Error): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.#waiting = undefined;
    waiting.reject(error);
  }
}
