import { describe, expect, it } from 'vitest';
import { PinBlockError } from './pin-block-error.ts';
import {
  decipherIso4PinBlock,
  encipherIso4PinBlock,
  formatIso4PanField,
  formatIso4PinField,
  parseIso4PinField,
} from './pin-block-iso4.ts';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const hexOf = (b: Buffer): string => b.toString('hex').toUpperCase();

// ANSI X9.24-3:2017 supplement, "Calculation of AES PIN Block Format 4" (PIN 1234, PAN 4111111111111111),
// as transcribed in openemv/dukpt test/dukpt_aes128_test.c and openemv/pinblock test/pinblock_format4_test.c.
const PIN = '1234';
const PAN = '4111111111111111';
const PIN_FIELD = '441234AAAAAAAAAA2F69ADDE2E9E7ACE';
const PAN_FIELD = '44111111111111111000000000000000';
// First AES PIN key and encrypted PIN block of the same supplement (KSN 123456789012345600000001).
const PIN_KEY = 'AF8CB133A78F8DC2D1359F18527593FB';
const ENCRYPTED_PIN_BLOCK = 'A912150391AB65A67E52883D81CE2D15';

describe('ISO 9564-1 format 4', () => {
  it('builds the published PIN field and PAN field', () => {
    expect(hexOf(formatIso4PinField(PIN, hex('2F69ADDE2E9E7ACE')))).toBe(PIN_FIELD);
    expect(hexOf(formatIso4PanField(PAN))).toBe(PAN_FIELD);
  });

  it('enciphers and deciphers the published PIN block', () => {
    expect(hexOf(encipherIso4PinBlock(hex(PIN_KEY), hex(PIN_FIELD), PAN))).toBe(ENCRYPTED_PIN_BLOCK);
    const pinField = decipherIso4PinBlock(hex(PIN_KEY), hex(ENCRYPTED_PIN_BLOCK), PAN);
    expect(hexOf(pinField)).toBe(PIN_FIELD);
    expect(parseIso4PinField(pinField)).toBe(PIN);
  });

  // openemv/pinblock hand-made examples: odd PIN length, 12-digit PAN (M = 0), 19-digit PAN (M = 7).
  it('fills odd PIN lengths with A and encodes the PAN length digit M', () => {
    expect(hexOf(formatIso4PinField('12345', Buffer.alloc(8)).subarray(0, 8))).toBe('4512345AAAAAAAAA');
    expect(hexOf(formatIso4PanField('411111111111'))).toBe('04111111111110000000000000000000');
    expect(hexOf(formatIso4PanField('4111111111111111111'))).toBe('74111111111111111111000000000000');
  });

  it('puts fresh random fill in every PIN field', () => {
    expect(formatIso4PinField(PIN).subarray(8)).not.toEqual(formatIso4PinField(PIN).subarray(8));
  });

  it('round-trips 4- to 12-digit PINs with an AES-256 key too', () => {
    const key = hex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F');
    for (const pin of ['0000', '98765', '123456789012']) {
      const block = encipherIso4PinBlock(key, formatIso4PinField(pin), PAN);
      expect(parseIso4PinField(decipherIso4PinBlock(key, block, PAN))).toBe(pin);
    }
  });

  describe('rejects malformed PIN fields', () => {
    const random = '2F69ADDE2E9E7ACE';
    it.each([
      ['wrong size', hex('441234AAAAAAAAAA'), 'format 4 PIN field must be 16 bytes, got 8'],
      ['format 0 control nibble', hex(`041234AAAAAAAAAA${random}`), 'PIN block control field is not format 4'],
      ['length 3', hex(`43123AAAAAAAAAAA${random}`), 'PIN block declares a PIN length outside 4 to 12'],
      ['non-decimal PIN digit', hex(`44123BAAAAAAAAAA${random}`), 'PIN block holds a non-decimal PIN digit'],
      ['fill F instead of A', hex(`441234FFFFFFFFFF${random}`), 'PIN block fill is not all A'],
    ])('%s', (_case, pinField, message) => {
      expect(() => parseIso4PinField(pinField)).toThrow(new PinBlockError(message));
    });

    it('detects a wrong PAN', () => {
      const pinField = decipherIso4PinBlock(hex(PIN_KEY), hex(ENCRYPTED_PIN_BLOCK), '4111111111111112');
      expect(() => parseIso4PinField(pinField)).toThrow(PinBlockError);
    });
  });

  it('rejects bad inputs without echoing them', () => {
    expect(() => formatIso4PinField('987')).toThrow(new PinBlockError('PIN must be 4 to 12 decimal digits'));
    expect(() => formatIso4PanField('41111111111')).toThrow(new PinBlockError('PAN must be 12 to 19 decimal digits'));
    expect(() => decipherIso4PinBlock(hex(PIN_KEY), hex('A912150391AB65A6'), PAN)).toThrow(
      new PinBlockError('encrypted format 4 PIN block must be 16 bytes, got 8'),
    );
  });
});
