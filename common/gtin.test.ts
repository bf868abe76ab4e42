/** GTIN check digits (GS1 examples), the GTIN-14 key, and price-embedded scale codes. */
import { describe, expect, it } from 'vitest';
import { gtinCheckDigit, isValidGtin, parsePriceEmbedded, toGtin14, withCheckDigit } from './gtin.ts';

describe('GTIN', () => {
  it('computes the GS1 check digit for every length', () => {
    expect(gtinCheckDigit('629104150021')).toBe(3); // GS1's own EAN-13 example, 6291041500213
    expect(gtinCheckDigit('03600029145')).toBe(2); // UPC-A 036000291452
    expect(gtinCheckDigit('9638507')).toBe(4); // EAN-8 96385074
    expect(withCheckDigit('690001234500')).toBe('6900012345004');
  });

  it('takes 8, 12, 13 and 14 digits with a right check digit, nothing else', () => {
    expect(['6291041500213', '036000291452', '96385074', '10036000291459'].every(isValidGtin)).toBe(true);
    expect(['6291041500214', '12345', '629104150021X', '', '0036000291452 '].some(isValidGtin)).toBe(false);
  });

  it('gives a UPC-A and the EAN-13 a scanner sends for it the same GTIN-14', () => {
    expect(toGtin14('036000291452')).toBe(toGtin14('0036000291452'));
  });

  it('reads the price of a scale label and names the item template', () => {
    const label = withCheckDigit('220000101234'); // flag 2, item 00001, ¥12.34
    expect(parsePriceEmbedded(label)).toEqual({ template: withCheckDigit('220000100000'), priceMinor: 1234 });
    expect(parsePriceEmbedded('6900012345004')).toBeUndefined(); // not in the 2 range
    expect(parsePriceEmbedded(`${label.slice(0, 12)}${(Number(label.at(-1)) + 1) % 10}`)).toBeUndefined(); // misread
  });
});
