/**
 * A virtual magstripe reader presenting as a USB HID device (interface class 3, one interrupt IN
 * endpoint) that sends MagTek-layout reports. Swiping a card queues one report; faults produce the
 * reports a worn stripe or a half swipe would.
 */
import type { TrackSource } from '../../common/card/tracks.ts';
import { encodeTracks } from '../../common/card/tracks.ts';
import { VirtualHidInputDevice } from '../virtual/virtual-hid-input-device.ts';
import { encodeMagtekReport, TRACK_DECODE_ERROR, TRACK_DECODE_OK } from './magtek-report.ts';
import { VIRTUAL_CARD_READER } from './known-readers.ts';

export type SwipeFault = 'none' | 'bad_read' | 'partial_track';

export class VirtualCardReader extends VirtualHidInputDevice {
  constructor(serialNumber = 'VMSR-0001') {
    // A vendor-defined HID interface (no boot protocol) carrying 337-byte MagTek-layout reports.
    super(VIRTUAL_CARD_READER, serialNumber, { subclass: 0, protocol: 0, packetSize: 64 });
  }

  /** Swipes a card through the head; a fault damages the read the way real stripes fail. */
  swipe(card: TrackSource, fault: SwipeFault = 'none'): void {
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
    this.pushReports(encodeMagtekReport([...tracks, { status: TRACK_DECODE_ERROR, data: '' }]));
  }
}
