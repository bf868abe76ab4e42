import { describe, expect, it } from 'vitest';
import { displayWidth, spreadColumns, wrapColumns } from './text-columns.ts';

describe('displayWidth', () => {
  it('counts CJK and full-width forms as two cells', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('合计')).toBe(4);
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(displayWidth('Café')).toBe(4);
  });
});

describe('wrapColumns', () => {
  it('breaks at spaces', () => {
    expect(wrapColumns('one two three four', 9)).toEqual(['one two', 'three', 'four']);
  });

  it('breaks CJK text between characters, never inside one', () => {
    expect(wrapColumns('特别长的商品名称', 5)).toEqual(['特别', '长的', '商品', '名称']);
  });

  it('splits a word longer than the line', () => {
    expect(wrapColumns('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('keeps an empty text as one empty line', () => {
    expect(wrapColumns('', 10)).toEqual(['']);
  });
});

describe('spreadColumns', () => {
  it('puts the value flush right, measuring CJK labels in cells', () => {
    expect(spreadColumns('合计', 'CNY 1.00', 16)).toEqual(['合计    CNY 1.00']);
  });

  it('moves the value to its own line when both do not fit', () => {
    expect(spreadColumns('A long label', '12345678', 16)).toEqual(['A long label', '        12345678']);
  });
});
