import { describe, expect, it } from 'vitest';
import { aesKsnFromHex, getAesKsnCounter, initialKeyIdOf, nextAesKsn } from './ksn-aes.ts';
import { KsnError } from './ksn-error.ts';

const hexOf = (ksn: Buffer): string => ksn.toString('hex').toUpperCase();

describe('AES KSN', () => {
  it('splits 24 hex digits into the initial key ID and the 32-bit counter', () => {
    const ksn = aesKsnFromHex('123456789012345600000008');
    expect(hexOf(initialKeyIdOf(ksn))).toBe('1234567890123456');
    expect(getAesKsnCounter(ksn)).toBe(8);
    expect(getAesKsnCounter(aesKsnFromHex('1234567890123456FFFF0000'))).toBe(0xffff_0000);
  });

  // ANSI X9.24-3:2017 supplement test vectors, KSN sequences (openemv/dukpt test/dukpt_aes128_test.c).
  it('advances like the X9.24-3 supplement sequences', () => {
    expect(hexOf(nextAesKsn(aesKsnFromHex('123456789012345600000000')))).toBe('123456789012345600000001');
    expect(hexOf(nextAesKsn(aesKsnFromHex('12345678901234560001FFFE')))).toBe('123456789012345600020000');
    expect(hexOf(nextAesKsn(aesKsnFromHex('1234567890123456FFFE8000')))).toBe('1234567890123456FFFF0000');
  });

  it('refuses to advance past the last usable counter', () => {
    expect(() => nextAesKsn(aesKsnFromHex('1234567890123456FFFF0000'))).toThrow(
      new KsnError('AES KSN counter is exhausted; the device needs a new initial key'),
    );
  });

  it('rejects malformed KSNs with clear errors', () => {
    expect(() => aesKsnFromHex('FFFF9876543210E00001')).toThrow('AES KSN must be 24 hexadecimal digits');
    expect(() => aesKsnFromHex('12345678901234560001FFFF')).toThrow(
      'AES KSN counter has more than 16 one-bits; no device uses such a counter',
    );
    expect(() => getAesKsnCounter(Buffer.alloc(10))).toThrow('AES KSN must be 12 bytes, got 10');
  });
});
