// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { displayColumns } from './receipt-columns.ts';

describe('displayColumns', () => {
  it('counts ASCII as one column and CJK or fullwidth characters as two', () => {
    expect(displayColumns('TOTAL 6.49')).toBe(10);
    expect(displayColumns('合计')).toBe(4);
    expect(displayColumns('合计：¥6.49')).toBe(4 + 2 + 1 + 4);
    expect(displayColumns('')).toBe(0);
  });
});
