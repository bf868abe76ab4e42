import { describe, expect, it } from 'vitest';
import { serviceCodeAllowsPosPurchase } from './service-code.ts';

describe('serviceCodeAllowsPosPurchase', () => {
  it.each(['101', '120', '201', '221', '502', '601', '105', '106', '107', '140', '206'])('accepts %s', (code) => {
    expect(serviceCodeAllowsPosPurchase(code)).toBe(true);
  });

  it.each([
    ['701', 'private label'],
    ['901', 'test card'],
    ['001', 'reserved first digit'],
    ['301', 'reserved first digit'],
    ['801', 'reserved first digit'],
    ['111', 'reserved second digit'],
    ['191', 'reserved second digit'],
    ['103', 'ATM only'],
    ['104', 'cash only'],
    ['108', 'reserved third digit'],
    ['10', 'too short'],
  ])('refuses %s (%s)', (code) => {
    expect(serviceCodeAllowsPosPurchase(code)).toBe(false);
  });
});
