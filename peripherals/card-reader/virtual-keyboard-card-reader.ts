/**
 * A virtual keyboard-emulation magstripe reader: a USB HID boot keyboard (interface 3/1/1, one
 * interrupt IN endpoint) that types each swipe a key at a time, as 8-byte boot keyboard reports:
 * "%B…?;…?" then Enter, with no LRC (the factory setting of the readers it stands for). Faults type
 * what such readers type: "%E?;E?" for an unreadable stripe, a truncated track 2 for a half swipe.
 */
import { encodeTracks, type TrackSource } from '../../common/card/tracks.ts';
import { VirtualKeyboardDevice } from '../virtual/virtual-keyboard-device.ts';
import { VIRTUAL_KEYBOARD_CARD_READER } from './known-readers.ts';
import type { SwipeFault } from './virtual-card-reader.ts';

export class VirtualKeyboardCardReader extends VirtualKeyboardDevice {
  constructor(serialNumber = 'VKBD-0001') {
    super(VIRTUAL_KEYBOARD_CARD_READER, serialNumber);
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
}
