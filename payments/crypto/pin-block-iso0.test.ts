import { describe, expect, it } from 'vitest';
import { PinBlockError } from './pin-block-error.ts';
import { formatIso0PinBlock, parseIso0PinBlock } from './pin-block-iso0.ts';
import { xor } from './xor.ts';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

describe('ISO 9564-1 format 0', () => {
  // ANSI X9.24-1:2009 A.4 test data (clear PIN block under every DUKPT vector), as in openemv/pinblock
  // test/pinblock_format0_test.c.
  it('builds the X9.24-1 A.4 clear PIN block', () => {
    expect(formatIso0PinBlock('1234', '4012345678909')).toEqual(hex('041274EDCBA9876F'));
    expect(parseIso0PinBlock(hex('041274EDCBA9876F'), '4012345678909')).toBe('1234');
  });

  // ID TECH knowledge base, "ISO 9564 format 0" worked example (BP-Tools output).
  it('builds the ID TECH worked example with a 17-digit PAN', () => {
    expect(formatIso0PinBlock('1234', '43219876543210987')).toEqual(hex('0412AC89ABCDEF67'));
    expect(parseIso0PinBlock(hex('0412AC89ABCDEF67'), '43219876543210987')).toBe('1234');
  });

  // Derived by hand: PIN field 041234FFFFFFFFFF XOR account field 0000765432109876.
  it('uses the 12 digits before the check digit of a 16-digit PAN', () => {
    expect(formatIso0PinBlock('1234', '4987654321098765')).toEqual(hex('041242ABCDEF6789'));
  });

  it('encodes odd-length and 12-digit PINs and left-pads a short account field', () => {
    // 12-digit PAN: 11 digits before the check digit, so the account field is 0000 0 + 11 digits.
    const pan = '400000123456';
    for (const pin of ['92389', '123456789012']) {
      expect(parseIso0PinBlock(formatIso0PinBlock(pin, pan), pan)).toBe(pin);
    }
    expect(formatIso0PinBlock('92389', pan)).toEqual(xor(hex('0592389FFFFFFFFF'), hex('0000040000012345')));
  });

  it('rejects PINs and PANs it cannot encode, without echoing them', () => {
    for (const pin of ['987', '9876543210987', '98a7', '']) {
      const error = catchError(() => formatIso0PinBlock(pin, '4012345678909'));
      expect(error).toBeInstanceOf(PinBlockError);
      expect(error.message).toBe('PIN must be 4 to 12 decimal digits');
    }
    expect(() => formatIso0PinBlock('1234', '40123456789')).toThrow('PAN must be 12 to 19 decimal digits');
  });

  describe('rejects malformed blocks', () => {
    const pan = '4012345678909';
    const account = hex('0000401234567890');
    const clear = (pinField: string): Buffer => xor(hex(pinField), account);

    it.each([
      ['wrong size', hex('041274EDCBA987'), 'format 0 PIN block must be 8 bytes, got 7'],
      ['format 3 control nibble', clear('341234FFFFFFFFFF'), 'PIN block control field is not format 0'],
      ['length 3', clear('03123FFFFFFFFFFF'), 'PIN block declares a PIN length outside 4 to 12'],
      ['length 13', clear('0D1234567890123F'), 'PIN block declares a PIN length outside 4 to 12'],
      ['non-decimal PIN digit', clear('04123AFFFFFFFFFF'), 'PIN block holds a non-decimal PIN digit'],
      ['non-F fill', clear('041234FFFFFFFFFE'), 'PIN block fill is not all F'],
      ['wrong PAN', formatIso0PinBlock('1234', '4012345678919'), 'PIN block fill is not all F'],
    ])('%s', (_case, block, message) => {
      const error = catchError(() => parseIso0PinBlock(block, pan));
      expect(error).toBeInstanceOf(PinBlockError);
      expect(error.message).toBe(message);
    });
  });
});

function catchError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
