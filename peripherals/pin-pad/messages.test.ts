/** PIN pad application messages: the PIN request's attempt field and the shapes a PIN result may take. */
import { describe, expect, it } from 'vitest';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse, PinPadMessageError } from './messages.ts';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1').replaceAll('\x1c', '|');
const request = { type: 'requestPin', pan: '6212345678901232', amountMinor: 1800, currency: 'CNY', timeoutSeconds: 60 } as const;

describe('PIN pad messages', () => {
  it('sends a first PIN request without the attempt field, and a retry with it', () => {
    expect(text(encodeRequest({ ...request, attempt: 1 }))).toBe('P06212345678901232|1800|CNY|60');
    expect(text(encodeRequest({ ...request, attempt: 2 }))).toBe('P06212345678901232|1800|CNY|60|2');
    expect(decodeRequest(encodeRequest({ ...request, attempt: 1 }))).toEqual({ ...request, attempt: 1 });
    expect(decodeRequest(encodeRequest({ ...request, attempt: 3 }))).toEqual({ ...request, attempt: 3 });
  });

  it('refuses an attempt field that is not 1 to 9', () => {
    for (const attempt of ['0', '10', 'x']) {
      expect(() => decodeRequest(Buffer.from(`P06212345678901232\x1c1800\x1cCNY\x1c60\x1c${attempt}`, 'latin1'))).toThrow(PinPadMessageError);
    }
  });

  it('accepts a TDES block with a TDES KSN and an AES block with an AES KSN', () => {
    const tdes = { type: 'pinResult', status: 'entered', pinBlockHex: 'A'.repeat(16), ksnHex: 'F'.repeat(20) } as const;
    const aes = { type: 'pinResult', status: 'entered', pinBlockHex: 'B'.repeat(32), ksnHex: '1'.repeat(24) } as const;
    expect(decodeResponse(encodeResponse(tdes))).toEqual(tdes);
    expect(decodeResponse(encodeResponse(aes))).toEqual(aes);
  });

  it('refuses a block and a KSN of different key types, or of no key type', () => {
    const result = (pinBlockHex: string, ksnHex: string) => encodeResponse({ type: 'pinResult', status: 'entered', pinBlockHex, ksnHex });
    expect(() => decodeResponse(result('A'.repeat(16), '1'.repeat(24)))).toThrow(PinPadMessageError);
    expect(() => decodeResponse(result('B'.repeat(32), 'F'.repeat(20)))).toThrow(PinPadMessageError);
    expect(() => decodeResponse(result('A'.repeat(24), 'F'.repeat(20)))).toThrow(PinPadMessageError);
  });

  it('carries no block or KSN for a cancelled or timed-out entry', () => {
    expect(decodeResponse(encodeResponse({ type: 'pinResult', status: 'timeout', pinBlockHex: '', ksnHex: '' }))).toEqual({ type: 'pinResult', status: 'timeout', pinBlockHex: '', ksnHex: '' });
  });
});

describe('stripe head messages', () => {
  const read = {
    maskedPan: '621234******1232',
    bin: '621234',
    expiry: '3012',
    serviceCode: '101',
    encrypted: { keyType: 'tdes-dukpt', ksn: Buffer.from('FFFF9876543211E00001', 'hex'), ciphertext: Buffer.alloc(48, 0xab) },
  } as const;
  const r1 = (fields: readonly string[]) => Buffer.from(`R1${fields.join('\x1c')}`, 'latin1');
  const good = ['00', '621234******1232', '621234', '3012', '101', 'TDES-DUKPT', 'FFFF9876543211E00001', 'AB'.repeat(48)];

  it('carries a read as masked PAN, BIN, expiry, service code, key type, data KSN and ciphertext', () => {
    expect(text(encodeResponse({ type: 'cardRead', read }))).toBe(`R1${good.join('|')}`);
    expect(decodeResponse(encodeResponse({ type: 'cardRead', read }))).toEqual({ type: 'cardRead', read });
    expect(decodeResponse(encodeResponse({ type: 'badRead', reason: 'track2_unreadable' }))).toEqual({ type: 'badRead', reason: 'track2_unreadable' });
  });

  it.each([
    ['a clear PAN in place of the masked one', 1, '6212345678901232'],
    ['a BIN that is not the masked PAN’s', 2, '622126'],
    ['a BIN of 7 digits', 2, '6212341'],
    ['an AES KSN with a TDES key type', 6, '123456789012345700000001'],
    ['a ciphertext that is not whole TDES blocks', 7, 'AB'.repeat(12)],
    ['a ciphertext longer than two tracks can be', 7, 'AB'.repeat(136)],
    ['an unknown key type', 5, 'DES'],
  ])('refuses a read with %s', (_case, index, value) => {
    const fields = [...good];
    fields[index] = value;
    expect(() => decodeResponse(r1(fields))).toThrow(PinPadMessageError);
  });

  it('refuses a read with a field more (a track tacked on) and a bad read with an unknown reason', () => {
    expect(() => decodeResponse(r1([...good, ';6212345678901232=3012?']))).toThrow(PinPadMessageError);
    expect(() => decodeResponse(r1(['03', 'smudged']))).toThrow(PinPadMessageError);
  });

  it('asks for the PIN of the card read without naming it, and ends the card', () => {
    const request = { type: 'requestPinForReadCard', amountMinor: 1800, currency: 'CNY', timeoutSeconds: 60, attempt: 2 } as const;
    expect(text(encodeRequest(request))).toBe('P21800|CNY|60|2');
    expect(decodeRequest(encodeRequest(request))).toEqual(request);
    expect(text(encodeRequest({ type: 'endCard' }))).toBe('E0');
    expect(decodeResponse(encodeResponse({ type: 'pinResult', status: 'no_card', pinBlockHex: '', ksnHex: '' }))).toMatchObject({ status: 'no_card' });
  });
});
