/** ISO/IEC 7813 track parsing: sentinels, separators, LRC, character sets, lengths and every kind of bad read. */
import { describe, expect, it } from 'vitest';
import { encodeTracks, parseSwipe, parseTrack1, parseTrack2, trackLrc } from './tracks.ts';

const CARD = { pan: '6212345678901232', expiry: '3012', serviceCode: '101', discretionary: '1234567890', cardholderName: 'ZHANG/WEI' };
const { track1, track2 } = encodeTracks(CARD);
const noLrc = (track: string) => track.slice(0, track.indexOf('?') + 1);
/** Replaces the character at `index`. */
const damage = (track: string, index: number, char: string) => `${track.slice(0, index)}${char}${track.slice(index + 1)}`;

describe('trackLrc', () => {
  it('XORs the data bits of every character, sentinels included', () => {
    // ";1=2?": data bits 0xB ^ 0x1 ^ 0xD ^ 0x2 ^ 0xF = 0xA → ':' on the 4-bit track.
    expect(trackLrc(';1=2?', 2)).toBe(':');
    // "%A?": 0x05 ^ 0x21 ^ 0x1F = 0x3B → 0x5B '[' on the 6-bit track.
    expect(trackLrc('%A?', 1)).toBe('[');
  });

  it('gives a track whose characters XOR to zero with their LRC', () => {
    const xor = (track: string, base: number) => [...track].reduce((lrc, char) => lrc ^ (char.charCodeAt(0) - base), 0);
    expect(xor(track2, 0x30)).toBe(0);
    expect(xor(track1, 0x20)).toBe(0);
  });
});

describe('encodeTracks', () => {
  it('lays out tracks 1 and 2 with sentinels, separators and LRC', () => {
    expect(noLrc(track1)).toBe('%B6212345678901232^ZHANG/WEI^30121011234567890?');
    expect(noLrc(track2)).toBe(';6212345678901232=30121011234567890?');
    expect(track1).toHaveLength(noLrc(track1).length + 1);
    expect(track2).toHaveLength(noLrc(track2).length + 1);
  });

  it('upper-cases the name and pads a one-letter name to the two characters track 1 needs', () => {
    expect(encodeTracks({ ...CARD, cardholderName: 'li' }).track1).toContain('^LI^');
    expect(encodeTracks({ ...CARD, cardholderName: 'X' }).track1).toContain('^X ^');
  });
});

describe('parseTrack2', () => {
  it('reads PAN, expiry, service code and discretionary data, with or without the LRC', () => {
    const card = { pan: CARD.pan, expiry: '3012', serviceCode: '101', discretionary: '1234567890', track2: '6212345678901232=30121011234567890' };
    expect(parseTrack2(track2)).toEqual({ ok: true, card });
    expect(parseTrack2(noLrc(track2))).toEqual({ ok: true, card });
  });

  it('accepts PANs of 12 to 19 digits and empty discretionary data', () => {
    expect(parseTrack2(';621234567890=3012101?')).toMatchObject({ ok: true, card: { pan: '621234567890', discretionary: '' } });
    expect(parseTrack2(';6212345678901234567=3012101?')).toMatchObject({ ok: true, card: { pan: '6212345678901234567' } });
  });

  it('refuses more than 37 data characters even without an LRC: DE35 could not carry them', () => {
    const longest = `;6212345678901232=30121011234567890123?`;
    expect(longest.length - 2).toBe(37);
    expect(parseTrack2(longest).ok).toBe(true);
    expect(parseTrack2(`;6212345678901232=301210112345678901234?`)).toEqual({ ok: false, reason: 'track2_unreadable' });
  });

  it('says no_data for an empty track', () => {
    expect(parseTrack2('')).toEqual({ ok: false, reason: 'no_data' });
  });

  it.each([
    ['no start sentinel', track2.slice(1)],
    ['the track 1 start sentinel', `%${track2.slice(1)}`],
    ['no end sentinel', noLrc(track2).slice(0, -1)],
    ['no field separator', noLrc(track2).replace('=', '')],
    ['a PAN of 11 digits', ';62123456789=3012101?'],
    ['a PAN of 20 digits', ';62123456789012345678=3012101?'],
    ['a short expiry and service code', ';6212345678901232=301?'],
    ['the reader error marker', ';E?'],
    ['a character outside track 2 set', damage(track2, 3, 'A')],
    ['lower case', damage(track2, 3, 'a')],
    ['text after the LRC', `${track2}0`],
    ['a half swipe', track2.slice(0, 12)],
    ['more than 40 characters', `;6212345678901232=3012101${'1'.repeat(16)}?`],
  ])('refuses %s as track2_unreadable', (_case, raw) => {
    expect(parseTrack2(raw)).toEqual({ ok: false, reason: 'track2_unreadable' });
  });

  it('refuses a track whose LRC does not match, even if one digit of it changed', () => {
    expect(parseTrack2(damage(track2, 5, track2[5] === '9' ? '8' : '9'))).toEqual({ ok: false, reason: 'lrc_mismatch' });
    const lrc = track2.at(-1) as string;
    expect(parseTrack2(`${noLrc(track2)}${lrc === '0' ? '1' : '0'}`)).toEqual({ ok: false, reason: 'lrc_mismatch' });
  });

  it('lets a changed digit through when no LRC was sent: only the LRC can catch it', () => {
    // Why the host checks more than the stripe (its PAN on file, its CVV); the parser cannot.
    expect(parseTrack2(damage(noLrc(track2), 5, '9'))).toMatchObject({ ok: true });
  });
});

describe('parseTrack1', () => {
  it('reads PAN, name and expiry, with or without the LRC', () => {
    expect(parseTrack1(track1)).toEqual({ ok: true, pan: CARD.pan, name: 'ZHANG/WEI', expiry: '3012' });
    expect(parseTrack1(noLrc(track1))).toEqual({ ok: true, pan: CARD.pan, name: 'ZHANG/WEI', expiry: '3012' });
  });

  it('trims the padding of a short name', () => {
    expect(parseTrack1(encodeTracks({ ...CARD, cardholderName: 'X' }).track1)).toMatchObject({ ok: true, name: 'X' });
  });

  it('says no_data for an empty track', () => {
    expect(parseTrack1('')).toEqual({ ok: false, reason: 'no_data' });
  });

  it.each([
    ['format code other than B', damage(noLrc(track1), 1, 'A')],
    ['no start sentinel', noLrc(track1).slice(1)],
    ['no end sentinel', noLrc(track1).slice(0, -1)],
    ['one name separator', noLrc(track1).replace('^ZHANG/WEI^', '^ZHANG/WEI')],
    ['a name of one character', '%B6212345678901232^Z^3012101?'],
    ['a name of 27 characters', `%B6212345678901232^${'A'.repeat(27)}^3012101?`],
    ['the reader error marker', '%E?'],
    ['lower case, which track 1 cannot hold', noLrc(track1).replace('ZHANG', 'Zhang')],
    ['a character above 0x5F', noLrc(track1).replace('/', '{')],
    ['more than 79 characters', `%B6212345678901232^ZHANG/WEI^3012101${'1'.repeat(60)}?`],
    ['text after the LRC', `${track1}X`],
  ])('refuses %s as track1_unreadable', (_case, raw) => {
    expect(parseTrack1(raw)).toEqual({ ok: false, reason: 'track1_unreadable' });
  });

  it('refuses a track whose LRC does not match', () => {
    expect(parseTrack1(damage(track1, 20, 'Q'))).toEqual({ ok: false, reason: 'lrc_mismatch' });
  });
});

describe('parseSwipe', () => {
  it('takes track 2 for the card and track 1 for the name', () => {
    expect(parseSwipe(track1, track2)).toEqual({
      ok: true,
      card: { pan: CARD.pan, expiry: '3012', serviceCode: '101', discretionary: '1234567890', cardholderName: 'ZHANG/WEI', track2: '6212345678901232=30121011234567890' },
    });
  });

  it('reads a card from track 2 alone, with no name', () => {
    const parsed = parseSwipe('', track2);
    expect(parsed.ok && parsed.card.cardholderName).toBeUndefined();
    expect(parsed.ok).toBe(true);
  });

  it('says no_data when the reader saw nothing, and track2_unreadable when it saw only track 1', () => {
    expect(parseSwipe('', '')).toEqual({ ok: false, reason: 'no_data' });
    expect(parseSwipe(track1, '')).toEqual({ ok: false, reason: 'track2_unreadable' });
  });

  it('passes on the reason track 2 failed, whatever track 1 holds', () => {
    expect(parseSwipe(track1, ';E?')).toEqual({ ok: false, reason: 'track2_unreadable' });
    expect(parseSwipe(track1, damage(track2, 5, track2[5] === '9' ? '8' : '9'))).toEqual({ ok: false, reason: 'lrc_mismatch' });
  });

  it('refuses a swipe whose track 1 is damaged rather than trusting track 2 alone', () => {
    expect(parseSwipe(track1.slice(0, 20), track2)).toEqual({ ok: false, reason: 'track1_unreadable' });
  });

  it('refuses tracks that name different cards or expiries', () => {
    const otherPan = encodeTracks({ ...CARD, pan: '6212345678901240' });
    const otherExpiry = encodeTracks({ ...CARD, expiry: '3112' });
    expect(parseSwipe(otherPan.track1, track2)).toEqual({ ok: false, reason: 'tracks_disagree' });
    expect(parseSwipe(otherExpiry.track1, track2)).toEqual({ ok: false, reason: 'tracks_disagree' });
  });

  it('round-trips every card shape the deck can hold', () => {
    for (const pan of ['621234567890', '4111110000000013', '6212345678901234567']) {
      for (const discretionary of ['', '0', '99999']) {
        const encoded = encodeTracks({ ...CARD, pan, discretionary });
        expect(parseSwipe(encoded.track1, encoded.track2)).toMatchObject({ ok: true, card: { pan, discretionary } });
      }
    }
  });
});
