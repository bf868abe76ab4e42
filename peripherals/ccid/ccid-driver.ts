/**
 * Driver for USB CCID smart-card readers (interface class 0x0B) over the MinimalUsbDevice subset,
 * so a real reader (through usb v3) and the virtual twin run the same code:
 *
 *   powerOn / powerOff / slotStatus   PC_to_RDR_IccPowerOn (automatic voltage), IccPowerOff, GetSlotStatus
 *   transmit                          PC_to_RDR_XfrBlock at short-APDU exchange level (the reader's
 *                                     dwFeatures say "short APDU level exchange", as EMV readers'
 *                                     do), with the T=0 conventions a card may still use: 61xx →
 *                                     GET RESPONSE for the remaining bytes, 6Cxx → the same command
 *                                     again with Le = xx
 *   watchSlots                        the interrupt-IN RDR_to_PC_NotifySlotChange: insert and removal
 *
 * One command is in flight at a time (CCID: one per slot; this driver keeps one per reader, which is
 * all a single kernel needs), matched to its answer by bSeq. A time-extension answer waits again, up
 * to an overall deadline per command (a card that asks for time for ever is mute). An answer saying
 * "no ICC present" is CardRemovedError; "ICC mute" is CardMuteError.
 *
 * A command can be abandoned through its AbortSignal (the cashier cancels while a card computes):
 * the read of its answer goes on in the background, and the next command waits for it first, so a
 * late answer is skipped by its bSeq and never taken for the next command's.
 */
import { CardMuteError, CardRemovedError } from '../../payments/emv/kernel/ports.ts';
import { claimFirstInterface } from '../usb/claim-interface.ts';
import { findEndpoint, isUsbTimeout, type MinimalUsbDevice, type UsbEndpointInfo } from '../usb/minimal-usb-device.ts';
import {
  COMMAND_STATUS,
  decodeCcidResponse,
  decodeSlotChange,
  encodeCcidCommand,
  ICC_STATUS,
  PC_TO_RDR,
  RDR_TO_PC,
  SLOT_ERROR,
  USB_CLASS_SMART_CARD,
  type CcidResponse,
  type SlotChange,
} from './ccid-messages.ts';

/** How long the reader has to answer one bulk-IN read (a time extension starts another). */
const COMMAND_TIMEOUT_MS = 5_000;
/** How long one command may take with all its time extensions. */
const COMMAND_DEADLINE_MS = 30_000;
const INTERRUPT_POLL_MS = 1_000;
const MAX_BULK_IN = 65_544;

export class CcidError extends Error {
  override readonly name = 'CcidError';
}

export class CcidReaderDriver {
  readonly #device: MinimalUsbDevice;
  #bulkOut: UsbEndpointInfo | undefined;
  #bulkIn: UsbEndpointInfo | undefined;
  #interrupt: UsbEndpointInfo | undefined;
  #interfaceNumber = 0;
  #seq = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  /** The bulk-IN read of an abandoned command, still to finish before the next command is sent. */
  #abandonedRead: Promise<unknown> | undefined;
  readonly #deadlineMs: number;
  /** Slots this reader has: 1 for a contact reader, 2 for a dual-interface one. */
  slotCount = 1;

  constructor(device: MinimalUsbDevice, options: { readonly commandDeadlineMs?: number } = {}) {
    this.#device = device;
    this.#deadlineMs = options.commandDeadlineMs ?? COMMAND_DEADLINE_MS;
  }

  async open(): Promise<void> {
    let iface;
    try {
      iface = await claimFirstInterface(this.#device, (candidate) => candidate.alternate.interfaceClass === USB_CLASS_SMART_CARD);
    } catch (error) {
      // On Linux, pcscd (libccid) keeps the reader's interface claimed while it runs.
      if (error instanceof Error && /BUSY/i.test(error.message)) {
        throw new CcidError(`${this.#device.productName ?? 'CCID reader'} is in use by another program, most likely pcscd: stop it (sudo systemctl stop pcscd.socket pcscd) or see docs/peripherals.md. Cause: ${error.message}`);
      }
      throw error;
    }
    this.#interfaceNumber = iface.interfaceNumber;
    this.#bulkOut = findEndpoint(iface, 'out', 'bulk');
    this.#bulkIn = findEndpoint(iface, 'in', 'bulk');
    this.#interrupt = findEndpoint(iface, 'in', 'interrupt');
    if (!this.#bulkOut || !this.#bulkIn) throw new CcidError(`${this.#device.productName ?? 'CCID reader'}: no bulk endpoints on the smart-card interface`);
    // The slot count is bMaxSlotIndex + 1 in the CCID class descriptor; usb v3's WebUSB view does not
    // expose class descriptors, so the station asks each slot: a slot that does not exist says so.
    this.slotCount = 1;
    for (let slot = 1; slot < 4; slot++) {
      const status = await this.#command(PC_TO_RDR.getSlotStatus, slot, [0, 0, 0], Buffer.alloc(0));
      if (status.commandStatus === COMMAND_STATUS.failed && status.error === SLOT_ERROR.slotDoesNotExist) break;
      this.slotCount = slot + 1;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#device.releaseInterface(this.#interfaceNumber).catch(() => undefined);
    await this.#device.close().catch(() => undefined);
  }

  /** Powers the card on; resolves with its ATR. */
  async powerOn(slot: number): Promise<Buffer> {
    const answer = checked(await this.#command(PC_TO_RDR.iccPowerOn, slot, [0, 0, 0], Buffer.alloc(0)));
    return Buffer.from(answer.data);
  }

  async powerOff(slot: number): Promise<void> {
    await this.#command(PC_TO_RDR.iccPowerOff, slot, [0, 0, 0], Buffer.alloc(0));
  }

  async slotStatus(slot: number): Promise<'active' | 'inactive' | 'empty'> {
    const answer = await this.#command(PC_TO_RDR.getSlotStatus, slot, [0, 0, 0], Buffer.alloc(0));
    return answer.iccStatus === ICC_STATUS.notPresent ? 'empty' : answer.iccStatus === ICC_STATUS.presentActive ? 'active' : 'inactive';
  }

  /** One command APDU in, the complete response APDU out (61xx and 6Cxx handled); the signal abandons it. */
  async transmit(slot: number, apdu: Buffer, signal?: AbortSignal): Promise<Buffer> {
    const xfr = (bytes: Buffer) => this.#xfr(slot, bytes, signal);
    let response = await xfr(apdu);
    let sw1 = response[response.length - 2];
    if (sw1 === 0x6c) {
      // Wrong Le: send the same command again with Le = SW2.
      const header = apdu.subarray(0, 4);
      const body = apdu.length > 5 ? apdu.subarray(4, 5 + apdu[4]!) : Buffer.alloc(0);
      response = await xfr(Buffer.concat([header, body, Buffer.from([response[response.length - 1]!])]));
      sw1 = response[response.length - 2];
    }
    let data = response.subarray(0, response.length - 2);
    let guard = 0;
    while (sw1 === 0x61 && guard++ < 64) {
      const more = await xfr(Buffer.from([0x00, 0xc0, 0x00, 0x00, response[response.length - 1]!]));
      data = Buffer.concat([data, more.subarray(0, more.length - 2)]);
      response = more;
      sw1 = more[more.length - 2];
    }
    return Buffer.concat([data, response.subarray(response.length - 2)]);
  }

  /** Reads slot changes from the interrupt endpoint until the reader is closed or gone. */
  async watchSlots(listener: (changes: SlotChange[]) => void): Promise<void> {
    const endpoint = this.#interrupt;
    if (!endpoint) return;
    while (!this.#closed) {
      let result;
      try {
        result = await this.#device.transferIn(endpoint.endpointNumber, endpoint.packetSize, INTERRUPT_POLL_MS);
      } catch (error) {
        if (isUsbTimeout(error)) continue;
        if (this.#closed) return;
        throw error;
      }
      if (result.status !== 'ok' || !result.data || result.data.byteLength === 0) continue;
      const bytes = new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength);
      if (bytes[0] !== RDR_TO_PC.notifySlotChange) continue;
      listener(decodeSlotChange(bytes, this.slotCount));
    }
  }

  async #xfr(slot: number, apdu: Buffer, signal: AbortSignal | undefined): Promise<Buffer> {
    const answer = checked(await this.#command(PC_TO_RDR.xfrBlock, slot, [0, 0, 0], apdu, signal));
    if (answer.data.length < 2) throw new CcidError('card answer shorter than a status word');
    return Buffer.from(answer.data);
  }

  #command(type: number, slot: number, specific: [number, number, number], data: Buffer, signal?: AbortSignal): Promise<CcidResponse> {
    const run = this.#queue.then(() => this.#exchange(type, slot, specific, data, signal));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #exchange(type: number, slot: number, specific: [number, number, number], data: Buffer, signal: AbortSignal | undefined): Promise<CcidResponse> {
    // The answer to an abandoned command comes first; it is read (and skipped below) before anything new is sent.
    await this.#abandonedRead;
    signal?.throwIfAborted();
    const seq = (this.#seq = (this.#seq + 1) & 0xff);
    const out = await this.#device.transferOut(this.#bulkOut!.endpointNumber, encodeCcidCommand({ type, slot, seq, specific, data }), COMMAND_TIMEOUT_MS);
    if (out.status !== 'ok') throw new CcidError(`reader refused the command (${out.status})`);
    const deadline = Date.now() + this.#deadlineMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new CcidError(`no answer from the card within ${this.#deadlineMs} ms of time extensions`);
      const read = this.#device.transferIn(this.#bulkIn!.endpointNumber, MAX_BULK_IN, Math.min(COMMAND_TIMEOUT_MS, left));
      const result = await this.#unlessAborted(read, signal);
      if (result.status !== 'ok' || !result.data) throw new CcidError(`reader answer failed (${result.status})`);
      const answer = decodeCcidResponse(new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength));
      // An answer to an earlier command that timed out on our side: skip it.
      if (answer.seq !== seq) continue;
      if (answer.commandStatus === COMMAND_STATUS.timeExtension) continue;
      return answer;
    }
  }

  /** The read, or an AbortError as soon as the signal aborts; an abandoned read is kept for the next command to wait on. */
  #unlessAborted<T>(read: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) return read;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.#abandonedRead = read.then(
          () => undefined,
          () => undefined,
        );
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      read.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }
}

function checked(answer: CcidResponse): CcidResponse {
  if (answer.iccStatus === ICC_STATUS.notPresent) throw new CardRemovedError('no card in the slot');
  if (answer.commandStatus === COMMAND_STATUS.failed) {
    if (answer.error === SLOT_ERROR.iccMute) throw new CardMuteError('the card does not answer');
    throw new CcidError(`reader reports slot error 0x${answer.error.toString(16)}`);
  }
  return answer;
}
