import { describe, expect, it } from 'vitest';
import { addMoney, currencyByNumeric, formatMinorPlain, formatMoney, MAX_AMOUNT_MINOR, money, multiplyMoney, parseMinorPlain, sumMoney } from './money.ts';

describe('money', () => {
  it('is whole minor units only', () => {
    expect(money(1234, 'CNY')).toEqual({ amountMinor: 1234, currency: 'CNY' });
    for (const bad of [12.5, -1, Number.NaN, MAX_AMOUNT_MINOR + 1, 2 ** 53]) expect(() => money(bad, 'CNY')).toThrow(RangeError);
  });

  it('adds exactly where floats would not', () => {
    expect(addMoney(money(10, 'CNY'), money(20, 'CNY'))).toEqual(money(30, 'CNY'));
    expect(sumMoney([money(1, 'CNY'), money(2, 'CNY')], 'CNY')).toEqual(money(3, 'CNY'));
    expect(multiplyMoney(money(1999, 'CNY'), 3)).toEqual(money(5997, 'CNY'));
  });

  it('never mixes currencies', () => {
    expect(() => addMoney(money(1, 'CNY'), money(1, 'USD'))).toThrow(TypeError);
  });

  it('maps ISO 4217 numeric codes (DE49)', () => {
    expect(currencyByNumeric('156')).toBe('CNY');
    expect(currencyByNumeric('999')).toBeUndefined();
  });

  it('formats with the currency stated, whatever the locale', () => {
    expect(formatMoney(money(123450, 'CNY'), 'zh-CN')).toBe('¥1,234.50');
    expect(formatMoney(money(123450, 'CNY'), 'en')).toBe('¥1,234.50');
    expect(formatMoney(money(500, 'JPY'), 'en')).toBe('¥500');
    expect(formatMinorPlain(money(5, 'CNY'))).toBe('0.05');
    expect(formatMinorPlain(money(123450, 'CNY'))).toBe('1234.50');
    expect(formatMinorPlain(money(7, 'JPY'))).toBe('7');
  });

  it('parses what a cashier types in yuan exactly, and nothing else', () => {
    expect(parseMinorPlain('12.50', 'CNY')).toBe(1250);
    expect(parseMinorPlain('12.5', 'CNY')).toBe(1250);
    expect(parseMinorPlain('12', 'CNY')).toBe(1200);
    expect(parseMinorPlain('0.01', 'CNY')).toBe(1);
    expect(parseMinorPlain(' 100. ', 'CNY')).toBe(10000);
    expect(parseMinorPlain('0.29', 'CNY')).toBe(29); // 0.29 * 100 is 28.999999999999996 in floats
    expect(parseMinorPlain('1234', 'JPY')).toBe(1234);
    for (const bad of ['', '12.345', '-5', '1e3', '12,50', 'abc', '.5', '1234567890123']) expect(parseMinorPlain(bad, 'CNY'), bad).toBeUndefined();
    expect(parseMinorPlain('1.5', 'JPY')).toBeUndefined();
  });
});
