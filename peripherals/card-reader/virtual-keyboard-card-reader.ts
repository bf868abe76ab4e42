/**
 * A virtual keyboard-emulation magstripe reader: a USB HID boot keyboard (interface 3/1/1, one
 * interrupt IN endpoint) that types each swipe a key at a time, as 8-byte boot keyboard reports:
 * "%B…?;…?" then Enter, with no LRC (the factory setting of the readers it stands for). Faults type
 * what such readers type: "%E?;E?" for an unreadable stripe, a truncated track 2 for a half swipe.
 */
import { encodeTracks, type TrackSource } from '../../common/card/tracks.ts';
import type { UsbInResult, UsbOutResult } from '../usb/minimal-usb-device.ts';
import { InTransferQueue } from '../virtual/byte-queue.ts';
import { VirtualUsbDevice } from '../virtual/virtual-usb-device.ts';
import { BOOT_KEYBOARD_REPORT_LENGTH, reportsForChar, reportsForEnter } from './hid-keyboard.ts';
import { VIRTUAL_KEYBOARD_CARD_READER } from './known-readers.ts';
import type { SwipeFault } from './virtual-card-reader.ts';

export const KEYBOARD_READER_INTERRUPT_ENDPOINT = 1;

export class VirtualKeyboardCardReader extends VirtualUsbDevice {
  readonly #reports = new InTransferQueue('reports');

  constructor(serialNumber = 'VKBD-0001') {
    super({
      vendorId: VIRTUAL_KEYBOARD_CARD_READER.vendorId,
      productId: VIRTUAL_KEYBOARD_CARD_READER.productId,
      serialNumber,
      manufacturerName: 'POS Station',
      productName: VIRTUAL_KEYBOARD_CARD_READER.name,
      configuration: {
        configurationValue: 1,
        interfaces: [
          {
            interfaceNumber: 0,
            alternate: {
              alternateSetting: 0,
              interfaceClass: 3, // HID
              interfaceSubclass: 1, // boot interface
              interfaceProtocol: 1, // keyboard
              endpoints: [{ endpointNumber: KEYBOARD_READER_INTERRUPT_ENDPOINT, direction: 'in', type: 'interrupt', packetSize: BOOT_KEYBOARD_REPORT_LENGTH }],
            },
          },
        ],
      },
    });
  }

  /** Swipes a card: types its tracks and Enter; a fault types what a reader types for a damaged read. */
  swipe(card: TrackSource, fault: SwipeFault = 'none'): void {
    const { track1, track2 } = encodeTracks(card);
    // The virtual stripe carries LRCs; like its real counterparts, this reader checks them and does not type them.
    const withoutLrc = (track: string) => track.slice(0, track.indexOf('?') + 1);
    const typed =
      fault === 'bad_read' ? '%E?;E?' : fault === 'partial_track' ? `%E?${track2.slice(0, Math.ceil(track2.length / 2))}` : withoutLrc(track1) + withoutLrc(track2);
    this.type(typed, true);
  }

  /** Types characters as key reports (press, release), optionally followed by Enter. */
  type(text: string, thenEnter: boolean): void {
    this.assertAttached();
    const reports = [...text].flatMap((char) => reportsForChar(char));
    for (const report of thenEnter ? [...reports, ...reportsForEnter()] : reports) this.#reports.push(report);
  }

  protected async handleTransferIn(_endpoint: number, _length: number, timeoutMs: number): Promise<UsbInResult> {
    const report = await this.#reports.take(Number.MAX_SAFE_INTEGER, timeoutMs);
    return { status: 'ok', data: new DataView(report.buffer, report.byteOffset, report.byteLength) };
  }

  protected async handleTransferOut(): Promise<UsbOutResult> {
    return { status: 'stall', bytesWritten: 0 };
  }

  protected onUnplug(): void {
    this.#reports.disconnect();
  }
}
