import { describe, expect, it } from 'vitest';
import { cashSuggestions } from './cash-suggestions.ts';

describe('cash quick buttons', () => {
  it('offers the exact amount and the next 10, 50 and 100 yuan, once each', () => {
    expect(cashSuggestions(1800)).toEqual([1800, 2000, 5000, 10_000]);
    expect(cashSuggestions(2000)).toEqual([2000, 5000, 10_000]);
    expect(cashSuggestions(5001)).toEqual([5001, 6000, 10_000]);
    expect(cashSuggestions(12_345)).toEqual([12_345, 13_000, 15_000, 20_000]);
    expect(cashSuggestions(0)).toEqual([]);
  });
});
