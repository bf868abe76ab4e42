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
import { tracksAsRead, type SwipeFault } from './swipe-faults.ts';

export type { SwipeFault } from './swipe-faults.ts';

export class VirtualCardReader extends VirtualHidInputDevice {
  constructor(serialNumber = 'VMSR-0001') {
    // A vendor-defined HID interface (no boot protocol) carrying 337-byte MagTek-layout reports.
    super(VIRTUAL_CARD_READER, serialNumber, { subclass: 0, protocol: 0, packetSize: 64 });
  }

  /** Swipes a card through the head; a fault damages the read the way real stripes fail. */
  swipe(card: TrackSource, fault: SwipeFault = 'none'): void {
    const { track1, track2 } = tracksAsRead(encodeTracks(card), fault);
    // The MagTek layout reports each track's decode status: an empty track is one the head could not decode.
    const track = (data: string) => ({ status: data.length > 0 ? TRACK_DECODE_OK : TRACK_DECODE_ERROR, data });
    this.pushReports(encodeMagtekReport([track(track1), track(track2), { status: TRACK_DECODE_ERROR, data: '' }]));
  }
}
