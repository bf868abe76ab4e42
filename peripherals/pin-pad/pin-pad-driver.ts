/**
 * The station's side of a PIN pad: claims the CDC data interface, runs the framed link over its
 * bulk endpoints, and turns requests into typed results. The PIN itself never reaches this code;
 * a PIN request ends with an encrypted PIN block and its KSN, or with cancelled/timeout.
 */
import type { Money } from '../../common/money.ts';
import { claimFirstInterface } from '../usb/claim-interface.ts';
import { findEndpoint, isUsbTimeout, UsbDisconnectedError, type MinimalUsbDevice, type UsbEndpointInfo } from '../usb/minimal-usb-device.ts';
import { FrameLink } from './frame-link.ts';
import { decodeResponse, encodeRequest, PinPadMessageError, type PinPadRequest, type PinPadResponse } from './messages.ts';

export type PinResult = { readonly kind: 'entered'; readonly pinBlock: Buffer; readonly ksn: Buffer } | { readonly kind: 'cancelled' } | { readonly kind: 'timeout' };

export const PIN_PAD_POLL_MS = 1000;
/** Beyond the pad's own entry timeout, how long the station waits before it gives up on the pad. */
export const PIN_RESPONSE_GRACE_MS = 5000;
const CDC_DATA_CLASS = 10;

interface Waiting {
  readonly type: PinPadResponse['type'];
  readonly resolve: (response: PinPadResponse) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class PinPadTimeoutError extends Error {
  override readonly name = 'PinPadTimeoutError';
}

export class PinPadDriver {
  readonly #device: MinimalUsbDevice;
  #bulkIn: UsbEndpointInfo | undefined;
  #link: FrameLink | undefined;
  #waiting: Waiting | undefined;
  #stopping = false;

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
    const answer = this.#expect('pinResult', (request.timeoutSeconds * 1000) + PIN_RESPONSE_GRACE_MS);
    await this.#send({
      type: 'requestPin',
      pan: request.pan,
      amountMinor: request.amount.amountMinor,
      currency: request.amount.currency,
      timeoutSeconds: request.timeoutSeconds,
      attempt: request.attempt ?? 1,
    });
    const response = await answer;
    if (response.type !== 'pinResult') throw new PinPadMessageError('PIN pad answered a PIN request with key status');
    if (response.status === 'entered') return { kind: 'entered', pinBlock: Buffer.from(response.pinBlockHex, 'hex'), ksn: Buffer.from(response.ksnHex, 'hex') };
    return { kind: response.status };
  }

  /** Asks the pad to abandon a PIN request; the pending requestPin resolves as cancelled. */
  async cancelPin(): Promise<void> {
    await this.#send({ type: 'cancel' });
  }

  async display(lines: readonly string[]): Promise<void> {
    await this.#send({ type: 'display', lines });
  }

  async keyStatus(): Promise<{ ksnHex: string; keyType: string }> {
    const answer = this.#expect('keyStatus', PIN_PAD_POLL_MS * 3);
    await this.#send({ type: 'keyStatus' });
    const response = await answer;
    if (response.type !== 'keyStatus') throw new PinPadMessageError('PIN pad answered key status with a PIN result');
    return { ksnHex: response.ksnHex, keyType: response.keyType };
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

  #expect(type: PinPadResponse['type'], timeoutMs: number): Promise<PinPadResponse> {
    if (this.#waiting) return Promise.reject(new Error('PIN pad is busy with another request'));
    const answer = new Promise<PinPadResponse>((resolve, reject) => {
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
