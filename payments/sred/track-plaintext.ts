/**
 * What an encrypting reader encrypts, before encryption: the tracks as ISO/IEC 7813 characters,
 * each from its start sentinel to its end sentinel (no LRC), track 2 first, then, when the head read
 * it, FS (0x1C) and track 1, zero-filled to the cipher's block size:
 *
 *   ;6212345678901232=30122011000012345?␜%B6212345678901232^WANG/FANG^3012201…?␀␀␀
 *
 * No track character is FS or NUL, so the layout needs no lengths. At most 39 + 1 + 78 = 118 bytes
 * (37 and 76 data characters and their sentinels), so 120 encrypted under TDES and 128 under AES.
 * The host undoes it after decrypting (readTrackPlaintext).
 */
import { parseSwipe, type TrackReadResult } from '../../common/card/tracks.ts';

const FS = 0x1c;
/** The largest plaintext a block can hold: two tracks of the longest ISO/IEC 7813 length, FS, padding. */
export const MAX_TRACK_CIPHERTEXT_BYTES = 128;

export class TrackPlaintextError extends Error {
  override readonly name = 'TrackPlaintextError';
}

/** `track2` and `track1` as the head decoded them, sentinels included; the LRC is dropped if present. */
export function formatTrackPlaintext(tracks: { readonly track1: string; readonly track2: string }, blockBytes: 8 | 16): Buffer {
  const text = tracks.track1.length > 0 ? `${withoutLrc(tracks.track2)}\x1c${withoutLrc(tracks.track1)}` : withoutLrc(tracks.track2);
  const plain = Buffer.from(text, 'latin1');
  const padded = Buffer.alloc(Math.ceil(plain.length / blockBytes) * blockBytes);
  plain.copy(padded);
  plain.fill(0);
  return padded;
}

/** The tracks a decrypted block holds, parsed and checked as a swipe (tracks.ts); a block that is not tracks throws. */
export function readTrackPlaintext(plaintext: Buffer): TrackReadResult & { ok: true } {
  let end = plaintext.length;
  while (end > 0 && plaintext[end - 1] === 0) end--;
  const body = plaintext.subarray(0, end);
  if (body.includes(0)) throw new TrackPlaintextError('decrypted card data holds a NUL inside the tracks');
  const separator = body.indexOf(FS);
  const track2 = body.subarray(0, separator < 0 ? body.length : separator).toString('latin1');
  const track1 = separator < 0 ? '' : body.subarray(separator + 1).toString('latin1');
  const parsed = parseSwipe(track1, track2);
  if (!parsed.ok) throw new TrackPlaintextError(`decrypted card data is not a readable swipe (${parsed.reason})`);
  return parsed;
}

function withoutLrc(track: string): string {
  const end = track.indexOf('?');
  return end < 0 ? track : track.slice(0, end + 1);
}
