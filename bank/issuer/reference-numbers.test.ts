import { describe, expect, it } from 'vitest';
import { formatRrn, newApprovalCode } from './reference-numbers.ts';

describe('formatRrn', () => {
  it('lays out YDDDhh and a six-digit sequence, in UTC', () => {
    expect(formatRrn(new Date('2026-11-21T10:15:00Z'), 42)).toBe('632510000042');
    expect(formatRrn(new Date('2026-01-01T00:00:00Z'), 1)).toBe('600100000001');
  });

  it('keeps twelve characters when the sequence grows past six digits', () => {
    expect(formatRrn(new Date('2026-12-31T23:00:00Z'), 1_234_567)).toBe('636523234567');
  });
});

describe('newApprovalCode', () => {
  it('is six digits', () => {
    for (let i = 0; i < 50; i++) expect(newApprovalCode()).toMatch(/^\d{6}$/);
  });
});
