/** The VAT and split rules with awkward amounts: half fen, one fen, remainders that tie, huge totals. */
import { describe, expect, it } from 'vitest';
import { allocateLargestRemainder } from './allocate.ts';
import { divideHalfUp, percentOf } from './rounding.ts';
import { vatOfInclusive } from './vat.ts';

describe('VAT of a VAT-inclusive amount: round_half_up(amount × bp / (10000 + bp))', () => {
  it.each([
    // amount, rate, VAT, why
    [11300, 1300, 1300, '113.00 at 13 % is exactly 13.00'],
    [10900, 900, 900, '109.00 at 9 % is exactly 9.00'],
    [10600, 600, 600, '106.00 at 6 % is exactly 6.00'],
    [1, 1300, 0, 'one fen: 0.115 fen rounds down'],
    [4, 1300, 0, '0.46 fen rounds down'],
    [5, 1300, 1, '0.575 fen rounds up'],
    [113, 1300, 13, '1.13 at 13 %: 0.13 exactly'],
    [450, 1300, 52, '4.50: 51.77 fen → 52'],
    [1800, 1300, 207, '18.00: 207.08 fen → 207'],
    [300, 900, 25, '3.00 at 9 %: 24.77 fen → 25'],
    [2290, 900, 189, '22.90 at 9 %: 189.08 fen → 189'],
    [109, 900, 9, '1.09 at 9 %: exactly 9 fen'],
    [6, 900, 0, '0.495 fen rounds down'],
    [1272, 600, 72, '12.72 at 6 %: exactly 72 fen'],
    [53, 600, 3, '0.53 at 6 %: exactly 3 fen'],
    [9, 600, 1, '0.509 fen rounds up'],
    [12345, 0, 0, 'exempt'],
    [999_999_999_999, 1300, 115_044_247_787, 'the largest DE4 amount, exact in BigInt'],
  ])('%i fen at %i bp → %i fen (%s)', (amount, rate, vat) => {
    expect(vatOfInclusive(amount, rate)).toBe(vat);
  });

  it('rounds an exact half up', () => {
    expect(divideHalfUp(5n, 2n)).toBe(3n); // 2.5
    expect(divideHalfUp(1n, 2n)).toBe(1n); // 0.5
    expect(divideHalfUp(3n, 2n)).toBe(2n); // 1.5
    expect(divideHalfUp(7n, 4n)).toBe(2n); // 1.75
    expect(divideHalfUp(5n, 4n)).toBe(1n); // 1.25
  });

  it('never meets an exact half fen at China\'s rates (an exact half needs 2 × amount × rate to be an odd multiple of 10000 + rate), so half-up only decides the nearer fen', () => {
    for (const rate of [1300, 900, 600]) {
      const denominator = 10_000 + rate;
      for (let amount = 0; amount < 5_000; amount++) expect((2 * amount * rate) % (2 * denominator)).not.toBe(denominator);
    }
  });

  it('refuses what is not a whole non-negative amount', () => {
    expect(() => vatOfInclusive(-1, 1300)).toThrow(RangeError);
    expect(() => vatOfInclusive(1.5, 1300)).toThrow(RangeError);
  });

  it('takes a percent (in basis points) of an amount half up', () => {
    expect(percentOf(999, 1000)).toBe(100); // 99.9
    expect(percentOf(995, 1000)).toBe(100); // 99.5 → 100
    expect(percentOf(994, 1000)).toBe(99); // 99.4
    expect(percentOf(1, 5000)).toBe(1); // 0.5 → 1
    expect(percentOf(12345, 10_000)).toBe(12345);
  });
});

describe('largest-remainder split', () => {
  it('gives each part the floor of its share, then the fen left over to the largest remainders', () => {
    // 100 fen over 1:1:1 → 33.33 each: one fen left, to the first (ties go to the earlier part).
    expect(allocateLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    // 10 over 450, 1800, 300 → 1.7647, 7.0588, 1.1764: floors 1, 7, 1 → one left to 0.7647.
    expect(allocateLargestRemainder(10, [450, 1800, 300])).toEqual([2, 7, 1]);
    expect(allocateLargestRemainder(1, [1, 1])).toEqual([1, 0]);
    expect(allocateLargestRemainder(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(allocateLargestRemainder(0, [5, 7])).toEqual([0, 0]);
    expect(allocateLargestRemainder(7, [0, 3, 0])).toEqual([0, 7, 0]);
  });

  it('always adds up to the amount, and no share is a fen or more from its exact value', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let round = 0; round < 500; round++) {
      const weights: number[] = Array.from({ length: 1 + (next() % 12) }, () => next() % 100_000);
      if (!weights.some((weight) => weight > 0)) weights[0] = 1;
      const total = weights.reduce((a, b) => a + b, 0);
      const amount = next() % (total + 1);
      const shares = allocateLargestRemainder(amount, weights);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(amount);
      shares.forEach((share, index) => expect(Math.abs(share - (amount * (weights[index] ?? 0)) / total)).toBeLessThan(1));
    }
  });

  it('is exact for amounts whose products pass 2^53', () => {
    expect(allocateLargestRemainder(999_999_999_999, [999_999_999_999, 1])).toEqual([999_999_999_998, 1]);
  });

  it('refuses to split something over parts that weigh nothing, or a negative amount', () => {
    expect(() => allocateLargestRemainder(5, [0, 0])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(-1, [1])).toThrow(RangeError);
  });
});
