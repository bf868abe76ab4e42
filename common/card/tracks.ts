/**
 * ISO/IEC 7813 magnetic stripe tracks, at the character level a reader hands over.
 *   Track 1 (IATA, 6-bit):  %B PAN ^ NAME ^ YYMM SSS discretionary ? [LRC]   at most 79 characters
 *   Track 2 (ABA, 4-bit):   ;  PAN = YYMM SSS discretionary ? [LRC]          at most 40 characters
 * Each track has its own character set (ISO/IEC 7811-2): track 1 is 0x20–0x5F (no lower case),
 * track 2 is 0x30–0x3F. A character outside it, text after the LRC or a wrong LRC is a bad read.
 * A read that does not parse is reported as a bad read; it is never repaired into a guess.
 *
 * Swipe direction does not arise here. It matters only to whoever decodes the F2F bit stream off
 * the head: a stripe swiped backwards arrives bits-reversed, end sentinel first. Every reader the
 * station supports (vendor HID and keyboard emulation) does that decoding in its firmware, which
 * accepts either direction and hands over characters in stripe order, start sentinel first. The
 * station takes no raw bit data, so there is nothing here to reverse.
 */

export interface CardData {
  readonly pan: string;
  /** YYMM, as printed on the stripe. */
  readonly expiry: string;
  readonly serviceCode: string;
  readonly discretionary: string;
  readonly cardholderName?: string;
  /** Track 2 equivalent data without sentinels or LRC ("PAN=YYMMSSS…"), as DE35 carries it. */
  readonly track2: string;
}

export type BadReadReason = 'no_data' | 'track2_unreadable' | 'track1_unreadable' | 'lrc_mismatch' | 'tracks_disagree';

export type TrackReadResult = { readonly ok: true; readonly card: CardData } | { readonly ok: false; readonly reason: BadReadReason };

const TRACK2 = /^;(\d{12,19})=(\d{4})(\d{3})(\d*)\?$/;
const TRACK1 = /^%B(\d{12,19})\^([^^]{2,26})\^(\d{4})(\d{3})([^?]*)\?$/;
/** ISO/IEC 7811-2 character sets: 6-bit track 1 is ASCII 0x20–0x5F, 4-bit track 2 is 0x30–0x3F. */
const TRACK1_CHARACTERS = /^[\x20-\x5f]*$/;
const TRACK2_CHARACTERS = /^[\x30-\x3f]*$/;
/** ISO/IEC 7813 maximum lengths, sentinels and LRC included: 76 and 37 data characters. */
const TRACK1_MAX_LENGTH = 79;
const TRACK2_MAX_LENGTH = 40;
/** A reader may leave the LRC out; the limits still hold for what is left. */
const LRC_LENGTH = 1;

/** LRC as ISO 7811 defines it: XOR of every character's data bits, start sentinel to end sentinel. */
export function trackLrc(track: string, kind: 1 | 2): string {
  const base = kind === 1 ? 0x20 : 0x30;
  let lrc = 0;
  for (let i = 0; i < track.length; i++) lrc ^= track.charCodeAt(i) - base;
  return String.fromCharCode(base + lrc);
}

/**
 * Splits "…?L" into the track and its LRC character, when the device sent one. Anything after the
 * LRC makes the read unusable (undefined): a reader sends one track per field.
 */
function splitLrc(raw: string): { track: string; lrc?: string } | undefined {
  const end = raw.indexOf('?');
  if (end < 0 || end === raw.length - 1) return { track: raw };
  if (raw.length > end + 2) return undefined;
  return { track: raw.slice(0, end + 1), lrc: raw.slice(end + 1) };
}

export function parseTrack2(raw: string): TrackReadResult {
  if (raw.length === 0) return { ok: false, reason: 'no_data' };
  if (raw.length > TRACK2_MAX_LENGTH || !TRACK2_CHARACTERS.test(raw)) return { ok: false, reason: 'track2_unreadable' };
  const split = splitLrc(raw);
  if (!split) return { ok: false, reason: 'track2_unreadable' };
  const { track, lrc } = split;
  // 37 data characters at most, whether or not the reader sent the LRC (DE35 is z..37).
  if (track.length > TRACK2_MAX_LENGTH - LRC_LENGTH) return { ok: false, reason: 'track2_unreadable' };
  const match = TRACK2.exec(track);
  if (!match) return { ok: false, reason: 'track2_unreadable' };
  if (lrc !== undefined && lrc !== trackLrc(track, 2)) return { ok: false, reason: 'lrc_mismatch' };
  const [, pan = '', expiry = '', serviceCode = '', discretionary = ''] = match;
  return { ok: true, card: { pan, expiry, serviceCode, discretionary, track2: track.slice(1, -1) } };
}

export function parseTrack1(raw: string): { ok: true; pan: string; name: string; expiry: string } | { ok: false; reason: BadReadReason } {
  if (raw.length === 0) return { ok: false, reason: 'no_data' };
  if (raw.length > TRACK1_MAX_LENGTH || !TRACK1_CHARACTERS.test(raw)) return { ok: false, reason: 'track1_unreadable' };
  const split = splitLrc(raw);
  if (!split) return { ok: false, reason: 'track1_unreadable' };
  const { track, lrc } = split;
  if (track.length > TRACK1_MAX_LENGTH - LRC_LENGTH) return { ok: false, reason: 'track1_unreadable' };
  const match = TRACK1.exec(track);
  if (!match) return { ok: false, reason: 'track1_unreadable' };
  if (lrc !== undefined && lrc !== trackLrc(track, 1)) return { ok: false, reason: 'lrc_mismatch' };
  const [, pan = '', name = '', expiry = ''] = match;
  return { ok: true, pan, name: name.trim(), expiry };
}

/**
 * Combines what a reader decoded from tracks 1 and 2. Track 2 is what authorizes; track 1 adds the
 * cardholder name. When both are present they must name the same card.
 */
export function parseSwipe(track1: string, track2: string): TrackReadResult {
  const t2 = parseTrack2(track2);
  if (!t2.ok) return t2.reason === 'no_data' && track1.length > 0 ? { ok: false, reason: 'track2_unreadable' } : t2;
  if (track1.length === 0) return t2;
  const t1 = parseTrack1(track1);
  if (!t1.ok) return t1;
  if (t1.pan !== t2.card.pan || t1.expiry !== t2.card.expiry) return { ok: false, reason: 'tracks_disagree' };
  return { ok: true, card: { ...t2.card, cardholderName: t1.name } };
}

export interface TrackSource {
  readonly pan: string;
  readonly expiry: string;
  readonly serviceCode: string;
  readonly discretionary: string;
  readonly cardholderName: string;
}

/** Encodes a card the way it sits on the stripe, with LRC, for test decks and the virtual reader. */
export function encodeTracks(card: TrackSource): { track1: string; track2: string } {
  const name = card.cardholderName.toUpperCase().slice(0, 26).padEnd(2, ' ');
  const track1 = `%B${card.pan}^${name}^${card.expiry}${card.serviceCode}${card.discretionary}?`;
  const track2 = `;${card.pan}=${card.expiry}${card.serviceCode}${card.discretionary}?`;
  return { track1: track1 + trackLrc(track1, 1), track2: track2 + trackLrc(track2, 2) };
}
