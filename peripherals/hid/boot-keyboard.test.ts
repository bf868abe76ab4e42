/** Boot keyboard reports → keystrokes, as a keyboard-emulation device types them. */
import { describe, expect, it } from 'vitest';
import { BootKeyboardDecoder, reportsForChar, reportsForEnter, type KeyStroke } from './boot-keyboard.ts';

const report = (modifiers: number, ...keys: number[]) => Uint8Array.from([modifiers, 0, ...keys, ...new Array<number>(6 - keys.length).fill(0)]);
const RELEASED = report(0);
const chars = (strokes: KeyStroke[]) => strokes.map((stroke) => (stroke.kind === 'char' ? stroke.char : stroke.kind === 'enter' ? '⏎' : `<${stroke.usage}>`)).join('');

describe('boot keyboard decoding', () => {
  it('types letters, digits and the track characters, with and without Shift', () => {
    const decoder = new BootKeyboardDecoder();
    const typed = [
      report(0x02, 0x22), // Shift+5 → %
      report(0x02, 0x05), // Shift+b → B
      report(0, 0x1e), // 1
      report(0x02, 0x23), // Shift+6 → ^
      report(0, 0x2c), // space
      report(0, 0x33), // ;
      report(0, 0x2e), // =
      report(0x02, 0x38), // Shift+/ → ?
      report(0, 0x04), // a
      report(0, 0x36), // ,
    ].flatMap((pressed) => [...decoder.push(pressed), ...decoder.push(RELEASED)]);
    expect(chars(typed)).toBe('%B1^ ;=?a,');
  });

  it('takes the right Shift key as Shift too', () => {
    expect(chars(new BootKeyboardDecoder().push(report(0x20, 0x22)))).toBe('%');
  });

  it('counts a held key once, and only the newly pressed key of a rollover', () => {
    const decoder = new BootKeyboardDecoder();
    expect(chars(decoder.push(report(0, 0x1e)))).toBe('1');
    expect(chars(decoder.push(report(0, 0x1e)))).toBe('');
    expect(chars(decoder.push(report(0, 0x1e, 0x1f)))).toBe('2');
    expect(chars(decoder.push(report(0, 0x1f)))).toBe('');
    expect(chars(decoder.push(RELEASED))).toBe('');
    expect(chars(decoder.push(report(0, 0x1e)))).toBe('1');
  });

  it('reads Enter and keypad Enter as the end of a line', () => {
    const decoder = new BootKeyboardDecoder();
    expect(decoder.push(report(0, 0x28))).toEqual([{ kind: 'enter' }]);
    expect(decoder.push(report(0, 0x58))).toEqual([{ kind: 'enter' }]);
  });

  it('ignores error-rollover and short reports, and names keys that type no character', () => {
    const decoder = new BootKeyboardDecoder();
    expect(decoder.push(report(0, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01))).toEqual([]);
    expect(decoder.push(Uint8Array.of(0, 0, 0x1e))).toEqual([]);
    expect(decoder.push(report(0, 0x3a))).toEqual([{ kind: 'other', usage: 0x3a }]); // F1
  });

  it('encodes every character a track can hold into reports that decode back to it', () => {
    const alphabet = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_';
    const decoder = new BootKeyboardDecoder();
    const strokes = [...alphabet, '⏎'].flatMap((char) => (char === '⏎' ? reportsForEnter() : reportsForChar(char))).flatMap((one) => decoder.push(one));
    expect(chars(strokes)).toBe(`${alphabet}⏎`);
    expect(() => reportsForChar('é')).toThrow(RangeError);
  });
});
