/** Keystrokes → one swipe: tracks 1 and 2, the end of the swipe, and bad reads. */
import { describe, expect, it } from 'vitest';
import { encodeTracks } from '../../common/card/tracks.ts';
import type { KeyStroke } from '../hid/boot-keyboard.ts';
import { KeyboardSwipeAssembler, splitTracks } from './keyboard-swipe.ts';

const CARD = { pan: '6212345678901232', expiry: '3012', serviceCode: '101', discretionary: '1234567890', cardholderName: 'ZHANG/WEI' };
const withLrc = encodeTracks(CARD);
const noLrc = { track1: withLrc.track1.slice(0, -1), track2: withLrc.track2.slice(0, -1) };

function strokes(text: string): KeyStroke[] {
  return [...text].map((char) => (char === '\n' ? { kind: 'enter' } : char === '\ufffd' ? { kind: 'other', usage: 0x3a } : { kind: 'char', char }));
}

/** Feeds keystrokes and returns every read the assembler ended. */
function type(assembler: KeyboardSwipeAssembler, text: string) {
  return strokes(text).flatMap((stroke) => assembler.push(stroke) ?? []);
}

const enterReader = () => new KeyboardSwipeAssembler({ sendsLrc: false, endsWithEnter: true });

describe('keyboard swipe assembly', () => {
  it('builds track 1 and track 2 from one Enter-terminated swipe', () => {
    const reads = type(enterReader(), `${noLrc.track1}${noLrc.track2}\n`);
    expect(reads).toEqual([
      { kind: 'card', card: { pan: CARD.pan, expiry: '3012', serviceCode: '101', discretionary: '1234567890', cardholderName: 'ZHANG/WEI', track2: '6212345678901232=30121011234567890' } },
    ]);
  });

  it('reads a swipe of track 2 alone, and two swipes in a row', () => {
    const reads = type(enterReader(), `${noLrc.track2}\n${noLrc.track1}${noLrc.track2}\n`);
    expect(reads.map((read) => (read.kind === 'card' ? read.card.cardholderName ?? '(no name)' : read.reason))).toEqual(['(no name)', 'ZHANG/WEI']);
  });

  it('ignores an Enter with nothing typed before it', () => {
    expect(type(enterReader(), '\n\n')).toEqual([]);
  });

  it('ends a swipe at track 2 end sentinel plus LRC for a reader that sends no Enter', () => {
    const assembler = new KeyboardSwipeAssembler({ sendsLrc: true, endsWithEnter: false });
    const typed = `${withLrc.track1}${withLrc.track2}`;
    expect(type(assembler, typed.slice(0, -1))).toEqual([]);
    expect(type(assembler, typed.slice(-1))).toMatchObject([{ kind: 'card', card: { pan: CARD.pan, cardholderName: 'ZHANG/WEI' } }]);
  });

  it('ends a swipe at track 2 end sentinel for a reader that sends neither Enter nor LRC', () => {
    const assembler = new KeyboardSwipeAssembler({ sendsLrc: false, endsWithEnter: false });
    expect(type(assembler, `${noLrc.track1}${noLrc.track2}`)).toMatchObject([{ kind: 'card', card: { pan: CARD.pan } }]);
  });

  it.each([
    ['track 1 LRC is ";", track 2 start sentinel', { ...CARD, discretionary: '0000000002', cardholderName: 'ZHANG/WEIX' }, 1, ';'],
    ['track 2 LRC is "?", the end sentinel', { ...CARD, discretionary: '0000000001' }, 2, '?'],
  ] as const)('splits tracks right when an LRC character is itself a sentinel: %s', (_name, card, track, lrc) => {
    const { track1, track2 } = encodeTracks(card);
    expect((track === 1 ? track1 : track2).slice(-1)).toBe(lrc);
    expect(splitTracks(`${track1}${track2}`, true)).toEqual({ track1, track2, track2Complete: true });
    expect(type(new KeyboardSwipeAssembler({ sendsLrc: true, endsWithEnter: true }), `${track1}${track2}\n`)).toMatchObject([{ kind: 'card', card: { discretionary: card.discretionary } }]);
  });

  it('reports an LRC that does not match as a bad read', () => {
    const bad = `${withLrc.track2.slice(0, -1)}${withLrc.track2.endsWith('0') ? '1' : '0'}`;
    expect(type(new KeyboardSwipeAssembler({ sendsLrc: true, endsWithEnter: true }), `${bad}\n`)).toEqual([{ kind: 'bad_read', reason: 'lrc_mismatch' }]);
  });

  it('reads "%E?;E?" as an unreadable stripe, and a track 2 after "%E?" as the card', () => {
    expect(type(enterReader(), '%E?;E?\n')).toEqual([{ kind: 'bad_read', reason: 'track2_unreadable' }]);
    expect(type(enterReader(), `%E?${noLrc.track2}\n`)).toMatchObject([{ kind: 'card', card: { pan: CARD.pan } }]);
  });

  it('ends a swipe whose keystrokes stop half way as a bad read', () => {
    const assembler = enterReader();
    expect(type(assembler, `${noLrc.track1}${noLrc.track2.slice(0, 12)}`)).toEqual([]);
    expect(assembler.idle()).toEqual({ kind: 'bad_read', reason: 'track2_unreadable' });
    expect(assembler.idle()).toBeUndefined();
  });

  it('keeps a key that types no character in the swipe, so it fails instead of being dropped', () => {
    const damaged = `${noLrc.track2.slice(0, 5)}\ufffd${noLrc.track2.slice(5)}`;
    expect(type(enterReader(), `${damaged}\n`)).toEqual([{ kind: 'bad_read', reason: 'track2_unreadable' }]);
  });

  it('refuses tracks 1 and 2 that name different cards', () => {
    const other = encodeTracks({ ...CARD, pan: '6212345678901240' });
    expect(type(enterReader(), `${other.track1.slice(0, -1)}${noLrc.track2}\n`)).toEqual([{ kind: 'bad_read', reason: 'tracks_disagree' }]);
  });
});
