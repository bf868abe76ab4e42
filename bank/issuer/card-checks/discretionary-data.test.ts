import { describe, expect, it } from 'vitest';
import { cvvOnStripe, withCvv } from './discretionary-data.ts';

describe('track 2 discretionary data layout', () => {
  it('keeps the CVV in the first three digits', () => {
    expect(cvvOnStripe('5614567890')).toBe('561');
    expect(withCvv('1234567890', '561')).toBe('5614567890');
  });

  it('has no CVV when the data is shorter than three digits', () => {
    expect(cvvOnStripe('12')).toBeUndefined();
    expect(withCvv('', '561')).toBe('561');
  });
});
