import { describe, expect, it } from 'vitest';
import { countsTowardsFallback, decideSwipe } from './fallback-policy.ts';

describe('fallback policy', () => {
  it('accepts a stripe-only card (service code 1xx) as a swipe', () => {
    expect(decideSwipe('101', 0)).toEqual({ kind: 'accept_swipe', posEntryMode: '021' });
  });
  it('asks a chip card (2xx, 6xx) to be inserted until the chip failed twice, then accepts fallback (DE22 801)', () => {
    expect(decideSwipe('201', 0)).toEqual({ kind: 'insert_card' });
    expect(decideSwipe('601', 1)).toEqual({ kind: 'insert_card' });
    expect(decideSwipe('201', 2)).toEqual({ kind: 'accept_fallback', posEntryMode: '801' });
    expect(decideSwipe('201', 5, { chipFailuresBeforeFallback: 0 })).toEqual({ kind: 'insert_card' });
  });
  it('only chip errors count; a blocked application or a removed card never opens the stripe', () => {
    expect(countsTowardsFallback({ kind: 'chip_error', reason: 'mute' })).toBe(true);
    expect(countsTowardsFallback({ kind: 'not_accepted', reason: 'application_blocked' })).toBe(false);
    expect(countsTowardsFallback({ kind: 'card_removed', online: false })).toBe(false);
  });
});
