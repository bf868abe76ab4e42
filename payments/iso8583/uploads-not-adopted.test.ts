import { describe, expect, it } from 'vitest';
import { formatUploadsNotAdopted, readUploadsNotAdopted } from './uploads-not-adopted.ts';

describe('uploads not adopted (DE62 of a 0510 after upload)', () => {
  it('lists the count, then each RRN in 12 characters', () => {
    const text = formatUploadsNotAdopted(['632510000001', '632510000002']);
    expect(text).toBe('002632510000001632510000002');
    expect(readUploadsNotAdopted(text)).toEqual({ count: 2, rrns: ['632510000001', '632510000002'] });
  });

  it('fits a field of 999 characters: the count says how many, the list holds the first 82', () => {
    const rrns = Array.from({ length: 100 }, (_, i) => `6325100${String(i).padStart(5, '0')}`);
    const text = formatUploadsNotAdopted(rrns);
    expect(text.length).toBe(3 + 82 * 12);
    expect(readUploadsNotAdopted(text)).toEqual({ count: 100, rrns: rrns.slice(0, 82) });
  });

  it('refuses text that does not follow the layout', () => {
    expect(readUploadsNotAdopted('')).toBeUndefined();
    expect(readUploadsNotAdopted('001632510')).toBeUndefined();
    expect(readUploadsNotAdopted('000632510000001')).toBeUndefined();
  });
});
