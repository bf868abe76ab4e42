/**
 * Speaks to one USB magstripe reader over the USB subset: claims its HID interface, reads input
 * reports from the interrupt endpoint and turns them into parsed cards or bad reads. How reports
 * become swipes depends on the model (known-readers.ts): a vendor-HID reader sends one report per
 * swipe, a keyboard-emulation reader types the tracks a key at a time. A bad or partial read is
 * reported as such; it is never repaired into a guess.
 */
import { HidInputReader, isBootKeyboard, isHidInterface, type ReportInterpreter } from '../hid/hid-input-reader.ts';
import { BootKeyboardDecoder } from '../hid/boot-keyboard.ts';
import type { MinimalUsbDevice } from '../usb/minimal-usb-device.ts';
import { cardReadFromTracks, type PlainCardRead } from './card-read.ts';
import { KeyboardSwipeAssembler } from './keyboard-swipe.ts';
import type { CardReaderModel } from './known-readers.ts';
import { decodeMagtekReport, MalformedReportError, TRACK_DECODE_OK } from './magtek-report.ts';

/**
 * How long one interrupt read waits before the loop checks whether it should stop. For a keyboard
 * reader it is also how long keystrokes may pause before a swipe counts as over.
 */
export const CARD_READER_POLL_MS = 1000;

export class CardReaderDriver {
  readonly #model: CardReaderModel;
  readonly #reader: HidInputReader;

  constructor(device: MinimalUsbDevice, model: CardReaderModel) {
    this.#model = model;
    this.#reader = new HidInputReader(device, {
      name: model.name,
      // A keyboard reader's boot keyboard interface; any HID interface for a vendor-HID reader.
      matches: model.protocol === 'magtek-hid' ? isHidInterface : isBootKeyboard,
      ...(model.protocol === 'magtek-hid' ? { reportLength: model.reportLength } : {}),
      pollMs: CARD_READER_POLL_MS,
    });
  }

  async open(): Promise<void> {
    await this.#reader.open();
  }

  /** Reads until stop() or until the device fails; a failure (unplug included) is thrown to the caller. */
  readLoop(onRead: (read: PlainCardRead) => void): Promise<void> {
    return this.#reader.readLoop(interpreterFor(this.#model), onRead);
  }

  close(): Promise<void> {
    return this.#reader.close();
  }
}

function interpreterFor(model: CardReaderModel): ReportInterpreter<PlainCardRead> {
  if (model.protocol === 'magtek-hid') return { report: (bytes) => [interpretReport(bytes)], quiet: () => undefined };
  const keys = new BootKeyboardDecoder();
  const swipe = new KeyboardSwipeAssembler(model);
  return {
    report: (bytes) => keys.push(bytes).flatMap((stroke) => swipe.push(stroke) ?? []),
    quiet: () => swipe.idle(),
  };
}

export function interpretReport(report: Uint8Array): PlainCardRead {
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
