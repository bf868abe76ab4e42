import { describe, expect, it } from 'vitest';
import { encodeTracks } from '../../common/card/tracks.ts';
import { formatTrackPlaintext, MAX_TRACK_CIPHERTEXT_BYTES, readTrackPlaintext, TrackPlaintextError } from './track-plaintext.ts';

const CARD = { pan: '6212345678901232', expiry: '3012', serviceCode: '201', discretionary: '1000012345', cardholderName: 'WANG/FANG' };

describe('the tracks an encrypting reader encrypts', () => {
  it('lays out track 2, FS, track 1, without LRCs, zero-filled to the block', () => {
    const { track1, track2 } = encodeTracks(CARD);
    const plain = formatTrackPlaintext({ track1, track2 }, 8);
    const text = ';6212345678901232=30122011000012345?\x1c%B6212345678901232^WANG/FANG^30122011000012345?';
    expect(plain.length % 8).toBe(0);
    expect(plain.subarray(0, text.length).toString('latin1')).toBe(text);
    expect(plain.subarray(text.length).every((byte) => byte === 0)).toBe(true);
    expect(formatTrackPlaintext({ track1, track2 }, 16).length % 16).toBe(0);
  });

  it('reads back the card, with track 2 as DE35 carries it and the name from track 1', () => {
    const read = readTrackPlaintext(formatTrackPlaintext(encodeTracks(CARD), 16));
    expect(read.card).toEqual({ pan: CARD.pan, expiry: '3012', serviceCode: '201', discretionary: '1000012345', track2: '6212345678901232=30122011000012345', cardholderName: 'WANG/FANG' });
  });

  it('carries track 2 alone when the head could not read track 1', () => {
    const { track2 } = encodeTracks(CARD);
    const plain = formatTrackPlaintext({ track1: '', track2 }, 8);
    expect(plain.includes(0x1c)).toBe(false);
    expect(readTrackPlaintext(plain).card.cardholderName).toBeUndefined();
  });

  it('fits the longest tracks ISO/IEC 7813 allows in one block of at most 128 bytes', () => {
    const track2 = `;${'4'.repeat(19)}=${'9'.repeat(17)}?`;
    const track1 = `%B${'4'.repeat(19)}^${'A'.repeat(26)}^${'9'.repeat(28)}?`;
    expect(track1.length).toBe(78);
    expect(formatTrackPlaintext({ track1, track2 }, 16).length).toBeLessThanOrEqual(MAX_TRACK_CIPHERTEXT_BYTES);
    expect(formatTrackPlaintext({ track1, track2 }, 8).length).toBeLessThanOrEqual(MAX_TRACK_CIPHERTEXT_BYTES);
  });

  it('refuses a block that is not tracks: garbage from a wrong key, a NUL inside, disagreeing tracks', () => {
    expect(() => readTrackPlaintext(Buffer.from('8f3a0c91d2e4b7a655c10f9e3d2b1a07', 'hex'))).toThrow(TrackPlaintextError);
    expect(() => readTrackPlaintext(Buffer.from(';6212345678901232=3012201\x000012345?\0\0', 'latin1'))).toThrow('NUL');
    const other = encodeTracks({ ...CARD, pan: '6212345678901240' });
    expect(() => readTrackPlaintext(formatTrackPlaintext({ track1: other.track1, track2: encodeTracks(CARD).track2 }, 8))).toThrow('tracks_disagree');
  });
});
