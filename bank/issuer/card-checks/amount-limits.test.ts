import { describe, expect, it } from 'vitest';
import type { TestDeckCard } from '../../../common/test-deck.ts';
import { createAmountLimits } from './amount-limits.ts';

const card = (id: string, pan: string, type: 'debit' | 'credit'): TestDeckCard => ({
  id,
  label: id,
  pan,
  expiry: '3012',
  serviceCode: '101',
  discretionary: '',
  cardholderName: 'TEST/CARD',
  pin: '1234',
  status: 'active',
  account: type === 'debit' ? { type, balanceMinor: 1, currency: 'CNY' } : { type, creditLimitMinor: 1, currency: 'CNY' },
});

describe('createAmountLimits', () => {
  const limits = createAmountLimits({ perProductMinor: { 'unionpay-debit': 100_000, 'visa-credit': 500_000 }, perCardMinor: { 'vip-debit': 900_000, 'tight-visa': 1_000 } });

  it('uses the product limit: scheme and account type', () => {
    expect(limits.limitFor(card('a', '6212345678901232', 'debit'))).toBe(100_000);
    expect(limits.limitFor(card('b', '4111110000000013', 'credit'))).toBe(500_000);
  });

  it('lets a card limit override its product either way', () => {
    expect(limits.limitFor(card('vip-debit', '6212345678901232', 'debit'))).toBe(900_000);
    expect(limits.limitFor(card('tight-visa', '4111110000000013', 'credit'))).toBe(1_000);
  });

  it('has no limit for a product nobody configured', () => {
    expect(limits.limitFor(card('c', '4111110000000013', 'debit'))).toBeUndefined();
  });
});
