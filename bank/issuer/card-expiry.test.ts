import { describe, expect, it } from 'vitest';
import { isCardExpired } from './card-expiry.ts';

describe('isCardExpired', () => {
  it('is valid through the last moment of the expiry month', () => {
    expect(isCardExpired('2611', new Date(2026, 10, 1))).toBe(false);
    expect(isCardExpired('2611', new Date(2026, 10, 30, 23, 59, 59))).toBe(false);
    expect(isCardExpired('2611', new Date(2026, 11, 1))).toBe(true);
  });

  it('compares across years', () => {
    expect(isCardExpired('2501', new Date(2026, 10, 21))).toBe(true);
    expect(isCardExpired('3012', new Date(2026, 10, 21))).toBe(false);
    expect(isCardExpired('2612', new Date(2027, 0, 1))).toBe(true);
  });
});
