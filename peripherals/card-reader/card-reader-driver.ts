/**
 * Speaks to one HID magstripe reader over the USB subset: claims its HID interface, reads input
 * reports from the interrupt endpoint and turns each into a parsed card or a bad read. A bad or
 * partial read is reported as such; it is never repaired into a guess.
 */
import { parseSwipe, type BadReadReason, type CardData } from '../../common/card/tracks.ts';
import { findEndpoint, isUsbTimeout, type MinimalUsbDevice, type UsbEndpointInfo } from '../usb/minimal-usb-device.ts';
import { claimFirstInterface } from '../usb/claim-interface.ts';
import type { CardReaderModel } from './known-readers.ts';
import { decodeMagtekReport, MalformedReportError, TRACK_DECODE_OK } from './magtek-report.ts';

export type CardRead = { readonly kind: 'card'; readonly card: CardData } | { readonly kind: 'bad_read'; readonly reason: BadReadReason | 'malformed_report' };

/** How long one interrupt read waits before the loop checks whether it should stop. */
export const CARD_READER_POLL_MS = 1000;
const HID_CLASS = 3;

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
    const iface = await claimFirstInterface(this.#device, (candidate) => candidate.alternate.interfaceClass === HID_CLASS);
    this.#endpoint = findEndpoint(iface, 'in', 'interrupt');
    if (!this.#endpoint) throw new Error(`${this.#model.name}: HID interface has no interrupt IN endpoint`);
    this.#stopping = false;
  }

  /** Reads until stop() or until the device fails; a failure (unplug included) is thrown to the caller. */
  async readLoop(onRead: (read: CardRead) => void): Promise<void> {
    const endpoint = this.#endpoint;
    if (!endpoint) throw new Error('card reader not opened');
    while (!this.#stopping) {
      let result;
      try {
        result = await this.#device.transferIn(endpoint.endpointNumber, this.#model.reportLength, CARD_READER_POLL_MS);
      } catch (error) {
        if (isUsbTimeout(error)) continue;
        throw error;
      }
      if (result.status !== 'ok' || !result.data) continue;
      onRead(interpretReport(new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength)));
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
  const parsed = parseSwipe(track1.status === TRACK_DECODE_OK ? track1.data : '', track2.data);
  return parsed.ok ? { kind: 'card', card: parsed.card } : { kind: 'bad_read', reason: parsed.reason };
}
