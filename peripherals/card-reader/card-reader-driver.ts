/**
 * Speaks to one USB magstripe reader over the USB subset: claims its HID interface, reads input
 * reports from the interrupt endpoint and turns them into parsed cards or bad reads. How reports
 * become swipes depends on the model (known-readers.ts): a vendor-HID reader sends one report per
 * swipe, a keyboard-emulation reader types the tracks a key at a time. A bad or partial read is
 * reported as such; it is never repaired into a guess.
 */
import { findEndpoint, isUsbTimeout, type MinimalUsbDevice, type UsbEndpointInfo, type UsbInterfaceInfo } from '../usb/minimal-usb-device.ts';
import { claimFirstInterface } from '../usb/claim-interface.ts';
import { cardReadFromTracks, type CardRead } from './card-read.ts';
import { BootKeyboardDecoder } from './hid-keyboard.ts';
import { KeyboardSwipeAssembler } from './keyboard-swipe.ts';
import type { CardReaderModel } from './known-readers.ts';
import { decodeMagtekReport, MalformedReportError, TRACK_DECODE_OK } from './magtek-report.ts';

/**
 * How long one interrupt read waits before the loop checks whether it should stop. For a keyboard
 * reader it is also how long keystrokes may pause before a swipe counts as over.
 */
export const CARD_READER_POLL_MS = 1000;
const HID_CLASS = 3;
const BOOT_SUBCLASS = 1;
const KEYBOARD_PROTOCOL = 1;

/** Turns a model's input reports into swipes. */
interface ReportInterpreter {
  report(bytes: Uint8Array): CardRead[];
  /** A poll period passed with no report. */
  quiet(): CardRead | undefined;
}

export class CardReaderDriver {
  readonly #device: MinimalUsbDevice;
  readonly #model: CardReaderModel;
  #endpoint: UsbEndpointInfo | undefined;
  #stopping = false;

  constructor(device: MinimalUsbDevice, model: CardReaderModel) {
    this.#device = device;
    this.#model = model;
  }

  async open(): Promise<void> {
    const iface = await claimFirstInterface(this.#device, (candidate) => isReaderInterface(candidate, this.#model));
    this.#endpoint = findEndpoint(iface, 'in', 'interrupt');
    if (!this.#endpoint) throw new Error(`${this.#model.name}: HID interface has no interrupt IN endpoint`);
    this.#stopping = false;
  }

  /** Reads until stop() or until the device fails; a failure (unplug included) is thrown to the caller. */
  async readLoop(onRead: (read: CardRead) => void): Promise<void> {
    const endpoint = this.#endpoint;
    if (!endpoint) throw new Error('card reader not opened');
    const interpreter = interpreterFor(this.#model);
    const length = this.#model.protocol === 'magtek-hid' ? this.#model.reportLength : endpoint.packetSize;
    while (!this.#stopping) {
      let result;
      try {
        result = await this.#device.transferIn(endpoint.endpointNumber, length, CARD_READER_POLL_MS);
      } catch (error) {
        if (!isUsbTimeout(error)) throw error;
        const read = interpreter.quiet();
        if (read) onRead(read);
        continue;
      }
      if (result.status !== 'ok' || !result.data) continue;
      for (const read of interpreter.report(new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength))) onRead(read);
    }
  }

  async close(): Promise<void> {
    this.#stopping = true;
    try {
      await this.#device.close();
    } catch {
      // Closing a device that is already gone has nothing left to release.
    }
  }
}

/** A keyboard reader's boot keyboard interface; any HID interface for a vendor-HID reader. */
function isReaderInterface(iface: UsbInterfaceInfo, model: CardReaderModel): boolean {
  const { interfaceClass, interfaceSubclass, interfaceProtocol } = iface.alternate;
  if (interfaceClass !== HID_CLASS) return false;
  return model.protocol === 'magtek-hid' || (interfaceSubclass === BOOT_SUBCLASS && interfaceProtocol === KEYBOARD_PROTOCOL);
}

function interpreterFor(model: CardReaderModel): ReportInterpreter {
  if (model.protocol === 'magtek-hid') return { report: (bytes) => [interpretReport(bytes)], quiet: () => undefined };
  const keys = new BootKeyboardDecoder();
  const swipe = new KeyboardSwipeAssembler(model);
  return {
    report: (bytes) => keys.push(bytes).flatMap((stroke) => swipe.push(stroke) ?? []),
    quiet: () => swipe.idle(),
  };
}

export function interpretReport(report: Uint8Array): CardRead {
  let decoded;
  try {
    decoded = decodeMagtekReport(report);
  } catch (error) {
    if (error instanceof MalformedReportError) return { kind: 'bad_read', reason: 'malformed_report' };
    throw error;
  }
  const [track1, track2] = decoded.tracks;
  if (track2.status !== TRACK_DECODE_OK) return { kind: 'bad_read', reason: track2.data.length === 0 && track1.status !== TRACK_DECODE_OK ? 'no_data' : 'track2_unreadable' };
  return cardReadFromTracks(track1.status === TRACK_DECODE_OK ? track1.data : '', track2.data);
}
