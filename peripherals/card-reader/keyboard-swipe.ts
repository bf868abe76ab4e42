/**
 * Assembles a keyboard-emulation reader's keystrokes into one swipe. A reader types track 1
 * ("%B…?"), then track 2 (";…?"), each followed by its LRC character if it is set to send one, then
 * usually Enter. The swipe ends:
 *   - on Enter, for readers that send it;
 *   - on track 2's end sentinel and, if the reader sends LRCs, the LRC after it, for readers that
 *     send no terminator;
 *   - when the keystrokes stop mid-swipe (the driver calls `idle()` after a quiet poll period): a
 *     half swipe, which parses as a bad read.
 *
 * Whether the reader sends LRCs must be known in advance: an LRC may itself be ';' or '?', so a
 * stream cannot be split into tracks by looking at it alone.
 *
 * Readers type "%E?" or ";E?" for a track they could not read. Track 1 is optional (track 2 is what
 * authorizes), so an unread track 1 is dropped, as the HID driver does for a track 1 decode error.
 */
import type { KeyStroke } from '../hid/boot-keyboard.ts';
import { KeyboardLineAssembler } from '../hid/keyboard-line.ts';
import { cardReadFromTracks, type PlainCardRead } from './card-read.ts';

export interface KeyboardSwipeOptions {
  readonly sendsLrc: boolean;
  readonly endsWithEnter: boolean;
}

export class KeyboardSwipeAssembler {
  readonly #line: KeyboardLineAssembler;
  readonly #sendsLrc: boolean;

  constructor(options: KeyboardSwipeOptions) {
    this.#sendsLrc = options.sendsLrc;
    this.#line = new KeyboardLineAssembler(options.endsWithEnter ? undefined : (typed) => splitTracks(typed, options.sendsLrc).track2Complete);
  }

  push(stroke: KeyStroke): PlainCardRead | undefined {
    const typed = this.#line.push(stroke);
    return typed === undefined ? undefined : this.#end(typed);
  }

  /** The keystrokes stopped: whatever was typed is the whole swipe. */
  idle(): PlainCardRead | undefined {
    const typed = this.#line.idle();
    return typed === undefined ? undefined : this.#end(typed);
  }

  #end(typed: string): PlainCardRead {
    const { track1, track2 } = splitTracks(typed, this.#sendsLrc);
    return cardReadFromTracks(track1 === ERROR_TRACK1 ? '' : track1, track2);
  }
}

const ERROR_TRACK1 = '%E?';

/**
 * Splits typed characters into track 1 and track 2, each with its sentinels and LRC (if sent).
 * Anything before track 1, or a third track after track 2, is not part of either.
 */
export function splitTracks(typed: string, sendsLrc: boolean): { track1: string; track2: string; track2Complete: boolean } {
  const track1 = takeTrack(typed, 0, '%', sendsLrc);
  const track2 = takeTrack(typed, track1?.stop ?? 0, ';', sendsLrc);
  return { track1: track1?.text ?? '', track2: track2?.text ?? '', track2Complete: track2?.complete ?? false };
}

function takeTrack(typed: string, from: number, startSentinel: '%' | ';', sendsLrc: boolean): { text: string; stop: number; complete: boolean } | undefined {
  const start = typed.indexOf(startSentinel, from);
  if (start < 0) return undefined;
  const end = typed.indexOf('?', start + 1);
  if (end < 0) return { text: typed.slice(start), stop: typed.length, complete: false };
  const stop = Math.min(typed.length, end + 1 + (sendsLrc ? 1 : 0));
  return { text: typed.slice(start, stop), stop, complete: stop === end + 1 + (sendsLrc ? 1 : 0) };
}
