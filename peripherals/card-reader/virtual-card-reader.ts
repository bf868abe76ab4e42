/**
 * A virtual magstripe reader presenting as a USB HID device (interface class 3, one interrupt IN
 * endpoint) that sends MagTek-layout reports. Swiping a card queues one report; faults produce the
 * reports a worn stripe or a half swipe would.
 */
import type { TrackSource } from '../../common/card/tracks.ts';
import { encodeTracks } from '../../common/card/tracks.ts';
import type { UsbInResult, UsbOutResult } from '../usb/minimal-usb-device.ts';
import { InTransferQueue } from '../virtual/byte-queue.ts';
import { VirtualUsbDevice } from '../virtual/virtual-usb-device.ts';
import { encodeMagtekReport, TRACK_DECODE_ERROR, TRACK_DECODE_OK } from './magtek-report.ts';
import { VIRTUAL_CARD_READER } from './known-readers.ts';

export const CARD_READER_INTERRUPT_ENDPOINT = 1;

export type SwipeFault = 'none' | 'bad_read' | 'partial_track';

export class VirtualCardReader extends VirtualUsbDevice {
  readonly #reports = new InTransferQueue('reports');

  constructor(serialNumber = 'VMSR-0001') {
    super({
      vendorId: VIRTUAL_CARD_READER.vendorId,
      productId: VIRTUAL_CARD_READER.productId,
      serialNumber,
      manufacturerName: 'POS Station',
      productName: VIRTUAL_CARD_READER.name,
      configuration: {
        configurationValue: 1,
        interfaces: [
          {
            interfaceNumber: 0,
            alternate: {
              alternateSetting: 0,
              interfaceClass: 3, // HID
              interfaceSubclass: 0,
              interfaceProtocol: 0,
              endpoints: [{ endpointNumber: CARD_READER_INTERRUPT_ENDPOINT, direction: 'in', type: 'interrupt', packetSize: 64 }],
            },
          },
        ],
      },
    });
  }

  /** Swipes a card through the head; a fault damages the read the way real stripes fail. */
  swipe(card: TrackSource, fault: SwipeFault = 'none'): void {
    this.assertAttached();
    const { track1, track2 } = encodeTracks(card);
    const tracks =
      fault === 'bad_read'
        ? [
            { status: TRACK_DECODE_ERROR, data: '' },
            { status: TRACK_DECODE_ERROR, data: '' },
          ]
        : fault === 'partial_track'
          ? [
              { status: TRACK_DECODE_ERROR, data: '' },
              { status: TRACK_DECODE_OK, data: track2.slice(0, Math.ceil(track2.length / 2)) },
            ]
          : [
              { status: TRACK_DECODE_OK, data: track1 },
              { status: TRACK_DECODE_OK, data: track2 },
            ];
    this.#reports.push(encodeMagtekReport([...tracks, { status: TRACK_DECODE_ERROR, data: '' }]));
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
