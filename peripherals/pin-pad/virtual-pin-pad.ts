/**
 * A virtual PIN pad presenting as a USB CDC-ACM device: a communication interface (class 2) and a
 * data interface (class 10) with bulk IN/OUT, carrying the framed protocol of docs/pinpad-protocol.md.
 *
 * Its keypad is its own: keys are pressed on the device (by the simulated-devices panel in demo
 * mode), the digits stay inside it, and only an encrypted PIN block leaves over USB.
 *
 * Given a data key, it has a stripe head too, and is then an encrypting reader: a swipe's tracks
 * are encrypted inside the device, only the masked read leaves it (R1), and it keeps the PAN for
 * the PIN block of that card (P2) until the station ends the card (E0), another card is swiped, the
 * cable is pulled or CARD_HOLD_MS pass without the card being used.
 */
import { binOf } from '../../common/card/scheme.ts';
import { encodeTracks, type TrackSource } from '../../common/card/tracks.ts';
import { maskPan } from '../../common/card/pan.ts';
import { formatMinorPlain, isCurrencyCode } from '../../common/money.ts';
import { cardReadFromTracks } from '../card-reader/card-read.ts';
import { tracksAsRead, type SwipeFault } from '../card-reader/swipe-faults.ts';
import type { UsbInResult, UsbOutResult } from '../usb/minimal-usb-device.ts';
import { UsbDisconnectedError } from '../usb/minimal-usb-device.ts';
import { InTransferQueue } from '../virtual/byte-queue.ts';
import { VirtualUsbDevice } from '../virtual/virtual-usb-device.ts';
import { FrameLink } from './frame-link.ts';
import { VIRTUAL_PIN_PAD } from './known-pin-pads.ts';
import { decodeRequest, encodeResponse, PinPadMessageError, type PinEntryStatus, type PinPadResponse } from './messages.ts';
import type { CardDataEncryptor } from './card-data-encryption.ts';
import type { PinEncryptor } from './pin-encryption.ts';

export const PIN_PAD_BULK_OUT = 2;
export const PIN_PAD_BULK_IN = 3;
export const MIN_PIN_LENGTH = 4;
export const MAX_PIN_LENGTH = 12;
/** How long the pad keeps a card its head read without the station using it (a PIN request restarts it). */
export const CARD_HOLD_MS = 300_000;

export type PinPadKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | 'clear' | 'cancel' | 'enter';

export interface PinPadScreen {
  readonly lines: readonly string[];
  readonly pinDigits: number;
  readonly awaitingPin: boolean;
}

interface PinRequest {
  readonly pan: string;
  readonly digits: number[];
  readonly timer: ReturnType<typeof setTimeout>;
  readonly amountLine: string;
  readonly promptLine: string;
}

interface HeldCard {
  readonly pan: string;
  timer: ReturnType<typeof setTimeout>;
}

export interface VirtualPinPadOptions {
  /** The stripe head's data key; without one the pad has no head, like many PIN pads. */
  readonly cardData?: CardDataEncryptor;
  readonly serialNumber?: string;
}

const IDLE_LINES = ['欢迎 WELCOME'];
const PROMPT_LINE = '请输入密码 ENTER PIN';
const RETRY_LINE = '密码错误 请重输 WRONG PIN, AGAIN';

export class VirtualPinPad extends VirtualUsbDevice {
  readonly #encryptor: PinEncryptor;
  readonly #cardData: CardDataEncryptor | undefined;
  readonly #toHost = new InTransferQueue('stream');
  readonly #link = new FrameLink(async (bytes) => this.#toHost.push(bytes));
  readonly #screenListeners = new Set<(screen: PinPadScreen) => void>();
  #lines: readonly string[] = IDLE_LINES;
  #request: PinRequest | undefined;
  #card: HeldCard | undefined;

  constructor(encryptor: PinEncryptor, options: VirtualPinPadOptions = {}) {
    super({
      vendorId: VIRTUAL_PIN_PAD.vendorId,
      productId: VIRTUAL_PIN_PAD.productId,
      serialNumber: options.serialNumber ?? 'VPIN-0001',
      manufacturerName: 'POS Station',
      productName: VIRTUAL_PIN_PAD.name,
      configuration: {
        configurationValue: 1,
        interfaces: [
          {
            interfaceNumber: 0,
            alternate: {
              alternateSetting: 0,
              interfaceClass: 2, // CDC communication
              interfaceSubclass: 2, // ACM
              interfaceProtocol: 0,
              endpoints: [{ endpointNumber: 1, direction: 'in', type: 'interrupt', packetSize: 16 }],
            },
          },
          {
            interfaceNumber: 1,
            alternate: {
              alternateSetting: 0,
              interfaceClass: 10, // CDC data
              interfaceSubclass: 0,
              interfaceProtocol: 0,
              endpoints: [
                { endpointNumber: PIN_PAD_BULK_OUT, direction: 'out', type: 'bulk', packetSize: 64 },
                { endpointNumber: PIN_PAD_BULK_IN, direction: 'in', type: 'bulk', packetSize: 64 },
              ],
            },
          },
        ],
      },
    });
    this.#encryptor = encryptor;
    this.#cardData = options.cardData;
  }

  /** Whether the pad has a stripe head (an encrypting reader). */
  get hasStripeHead(): boolean {
    return this.#cardData !== undefined;
  }

  /** Whether the pad holds a card its head read (for the PIN of that card); never which. */
  get holdsCard(): boolean {
    return this.#card !== undefined;
  }

  /**
   * Swipes a card through the pad's head: the tracks are read, encrypted and reported inside the
   * device; a fault damages the read the way real stripes fail. Returns whether the pad took it.
   */
  swipe(card: TrackSource, fault: SwipeFault = 'none'): boolean {
    const cardData = this.#cardData;
    if (!this.attached || cardData === undefined) return false;
    const tracks = tracksAsRead(encodeTracks(card), fault);
    const parsed = cardReadFromTracks(tracks.track1, tracks.track2);
    this.#forgetCard();
    if (parsed.kind === 'bad_read') {
      this.#reply({ type: 'badRead', reason: parsed.reason === 'malformed_report' ? 'no_data' : parsed.reason });
      return true;
    }
    const { pan, expiry, serviceCode } = parsed.card;
    // The KSN advances and the tracks are encrypted before anything leaves the device.
    const encrypted = cardData.encryptTracks(tracks);
    this.#card = { pan, timer: this.#holdTimer() };
    this.#reply({ type: 'cardRead', read: { maskedPan: maskPan(pan), bin: binOf(pan), expiry, serviceCode, encrypted } });
    return true;
  }

  get screen(): PinPadScreen {
    return { lines: this.#lines, pinDigits: this.#request?.digits.length ?? 0, awaitingPin: this.#request !== undefined };
  }

  onScreen(listener: (screen: PinPadScreen) => void): () => void {
    this.#screenListeners.add(listener);
    return () => this.#screenListeners.delete(listener);
  }

  /**
   * Ends the PIN request in progress as its timer would, now: the demo panel's "PIN pad timeout",
   * so a timeout can be shown without waiting for it. Returns whether a request was waiting.
   */
  expireEntry(): boolean {
    if (!this.attached || !this.#request) return false;
    this.#finish('timeout');
    return true;
  }

  /** A key pressed on the PIN pad's own keypad. Returns whether the pad took it. */
  pressKey(key: PinPadKey): boolean {
    const request = this.#request;
    if (!this.attached || !request) return false;
    if (/^\d$/.test(key)) {
      if (request.digits.length >= MAX_PIN_LENGTH) return false;
      request.digits.push(Number(key));
    } else if (key === 'clear') {
      request.digits.fill(0);
      request.digits.length = 0;
    } else if (key === 'cancel') {
      this.#finish('cancelled');
      return true;
    } else if (key === 'enter') {
      if (request.digits.length < MIN_PIN_LENGTH) return false;
      this.#finish('entered');
      return true;
    }
    this.#showPrompt(request);
    return true;
  }

  protected async handleTransferIn(_endpoint: number, length: number, timeoutMs: number): Promise<UsbInResult> {
    const bytes = await this.#toHost.take(length, timeoutMs);
    return { status: 'ok', data: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  protected async handleTransferOut(_endpoint: number, data: Uint8Array): Promise<UsbOutResult> {
    for (const payload of this.#link.receive(data)) this.#handle(payload);
    return { status: 'ok', bytesWritten: data.length };
  }

  protected onUnplug(): void {
    this.#abandonRequest();
    this.#forgetCard();
    this.#link.close(new UsbDisconnectedError('PIN pad unplugged'));
    this.#toHost.disconnect();
    this.#setLines(IDLE_LINES);
  }

  #handle(payload: Uint8Array): void {
    let request;
    try {
      request = decodeRequest(payload);
    } catch (error) {
      if (error instanceof PinPadMessageError) return; // acknowledged at link level, ignored as a command
      throw error;
    }
    switch (request.type) {
      case 'display':
        this.#setLines(request.lines.slice(0, 4));
        break;
      case 'beep':
        break;
      case 'requestPin':
        this.#startPinRequest(request.pan, request);
        break;
      case 'requestPinForReadCard': {
        const card = this.#card;
        if (!card) {
          this.#abandonRequest();
          this.#reply({ type: 'pinResult', status: 'no_card', pinBlockHex: '', ksnHex: '' });
          break;
        }
        clearTimeout(card.timer);
        card.timer = this.#holdTimer();
        this.#startPinRequest(card.pan, request);
        break;
      }
      case 'cancel':
        if (this.#request) this.#finish('cancelled');
        break;
      case 'endCard':
        this.#forgetCard();
        break;
      case 'keyStatus':
        this.#reply({
          type: 'keyStatus',
          ksnHex: hex(this.#encryptor.currentKsn()),
          keyType: this.#encryptor.keyType,
          ...(this.#cardData ? { dataKsnHex: hex(this.#cardData.currentKsn()) } : {}),
        });
        break;
    }
  }

  #startPinRequest(pan: string, request: { amountMinor: number; currency: string; timeoutSeconds: number; attempt: number }): void {
    this.#abandonRequest();
    const amountLine = isCurrencyCode(request.currency)
      ? `${request.currency} ${formatMinorPlain({ amountMinor: request.amountMinor, currency: request.currency })}`
      : `${request.currency} ${request.amountMinor}`;
    const timer = setTimeout(() => this.#finish('timeout'), request.timeoutSeconds * 1000);
    this.#request = { pan, digits: [], timer, amountLine, promptLine: request.attempt > 1 ? RETRY_LINE : PROMPT_LINE };
    this.#showPrompt(this.#request);
  }

  #holdTimer(): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.#forgetCard(), CARD_HOLD_MS);
    // A card held for a PIN must not keep a process alive that is otherwise done.
    timer.unref?.();
    return timer;
  }

  /** Forgets the card the head read: its PAN is gone from the device. */
  #forgetCard(): void {
    if (!this.#card) return;
    clearTimeout(this.#card.timer);
    this.#card = undefined;
  }

  #finish(status: PinEntryStatus): void {
    const request = this.#request;
    if (!request) return;
    let response: PinPadResponse = { type: 'pinResult', status, pinBlockHex: '', ksnHex: '' };
    if (status === 'entered') {
      const { pinBlock, ksn } = this.#encryptor.encrypt(request.digits.join(''), request.pan);
      response = { type: 'pinResult', status, pinBlockHex: hex(pinBlock), ksnHex: hex(ksn) };
    }
    this.#abandonRequest();
    this.#setLines(IDLE_LINES);
    this.#reply(response);
  }

  /** Forgets the PIN request, wiping the digits it held. */
  #abandonRequest(): void {
    if (!this.#request) return;
    clearTimeout(this.#request.timer);
    this.#request.digits.fill(0);
    this.#request.digits.length = 0;
    this.#request = undefined;
  }

  #reply(response: PinPadResponse): void {
    this.#link.send(encodeResponse(response)).catch(() => {
      // The host stopped acknowledging (unplugged or gone); its own timeout reports the failure.
    });
  }

  #showPrompt(request: PinRequest): void {
    this.#setLines([request.amountLine, request.promptLine, '*'.repeat(request.digits.length)]);
  }

  #setLines(lines: readonly string[]): void {
    this.#lines = lines;
    const screen = this.screen;
    for (const listener of this.#screenListeners) listener(screen);
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}
