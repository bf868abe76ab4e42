import { describe, expect, it } from 'vitest';
import { scrubCardData, TRACK_DATA_REMOVED } from './scrub-card-data.ts';

describe('scrubCardData', () => {
  it('masks a Luhn-valid PAN wherever it stands in the text', () => {
    expect(scrubCardData('card 6212345678901232 read')).toBe('card 621234******1232 read');
    expect(scrubCardData('{"pan":"4111110000000013"}')).toBe('{"pan":"411111******0013"}');
  });

  it('removes track 1 and track 2 data whole, with or without sentinels', () => {
    expect(scrubCardData('t2=;6212345678901232=30121010834567890? end')).toBe(`t2=${TRACK_DATA_REMOVED} end`);
    expect(scrubCardData('DE35 6212345678901232=30121010834567890')).toBe(`DE35 ${TRACK_DATA_REMOVED}`);
    expect(scrubCardData('%B6212345678901232^ZHANG/WEI^3012101083456?')).toBe(TRACK_DATA_REMOVED);
  });

  it('leaves what is not card data alone: STANs, RRNs, amounts, masked PANs, Luhn-invalid numbers', () => {
    const line = '0200 stan=000123 rrn=632510000001 amount=000000001800 pan=621234******1232 ref=6212345678901233';
    expect(scrubCardData(line)).toBe(line);
  });
});
