import { describe, expect, it } from 'vitest';
import { assertTdesKsn, getKsnCounter, ksnFromHex, nextKsn, setKsnCounter } from './ksn.ts';
import { KsnError } from './ksn-error.ts';

const hexOf = (ksn: Buffer): string => ksn.toString('hex').toUpperCase();

describe('TDES KSN', () => {
  it('parses 20 hex digits and reads the 21-bit counter', () => {
    const ksn = ksnFromHex('FFFF9876543210E00015');
    expect(ksn).toHaveLength(10);
    expect(getKsnCounter(ksn)).toBe(0x15);
    expect(getKsnCounter(ksnFromHex('FFFF9876543210F00000'))).toBe(0x10_0000);
  });

  it('sets the counter without touching the 59 identifying bits or the input', () => {
    const ksn = ksnFromHex('FFFF9876543210E00015');
    expect(hexOf(setKsnCounter(ksn, 0))).toBe('FFFF9876543210E00000');
    expect(hexOf(setKsnCounter(ksn, 0x1f_f800))).toBe('FFFF9876543210FFF800');
    expect(hexOf(ksn)).toBe('FFFF9876543210E00015');
  });

  // ANSI X9.24-1:2009 A.4.2 initial sequence starts at ...E00001 after the initial KSN ...E00000.
  it('advances from the initial KSN through the A.4.2 sequence', () => {
    let ksn = ksnFromHex('FFFF9876543210E00000');
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      ksn = nextKsn(ksn);
      seen.push(hexOf(ksn));
    }
    expect(seen).toEqual(['FFFF9876543210E00001', 'FFFF9876543210E00002', 'FFFF9876543210E00003']);
  });

  // ANSI X9.24-1:2009 A.4.3 rollover sequence.
  it('skips counters with more than 10 one-bits', () => {
    expect(hexOf(nextKsn(ksnFromHex('FFFF9876543210EFF802')))).toBe('FFFF9876543210EFF804');
    expect(hexOf(nextKsn(ksnFromHex('FFFF9876543210EFFC00')))).toBe('FFFF9876543210F00000');
  });

  it('refuses to advance past the last usable counter', () => {
    expect(() => nextKsn(ksnFromHex('FFFF9876543210FFF800'))).toThrow(
      new KsnError('TDES KSN counter is exhausted; the device needs a new initial key'),
    );
  });

  it('rejects malformed KSNs with clear errors', () => {
    expect(() => ksnFromHex('FFFF9876543210E0000')).toThrow('TDES KSN must be 20 hexadecimal digits');
    expect(() => ksnFromHex('FFFF9876543210E0000G')).toThrow(KsnError);
    expect(() => ksnFromHex('FFFF9876543210E007FF')).toThrow(
      'TDES KSN counter has more than 10 one-bits; no device uses such a counter',
    );
    expect(() => assertTdesKsn(Buffer.alloc(12))).toThrow('TDES KSN must be 10 bytes, got 12');
    expect(() => setKsnCounter(ksnFromHex('FFFF9876543210E00000'), 0x20_0000)).toThrow(
      'TDES KSN counter must be an integer from 0 to 0x1FFFFF',
    );
  });
});
