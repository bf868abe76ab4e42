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
