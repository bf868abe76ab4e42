import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkFreshness,
  formatAuthorization,
  hmacKey,
  messageCanonical,
  parseAuthorization,
  requestCanonical,
  rsaSigningKey,
  rsaVerifyingKey,
  signCanonical,
  verifyCanonical,
} from './signature.ts';

const KEY = hmacKey('B78B219AE8BDB32B3C00F4966A66729B75B855B5A1D6FD18C5851664F61400D1');

describe('wallet API signatures', () => {
  it('builds the canonical strings line by line, each line ending in \\n', () => {
    expect(requestCanonical('POST', '/v1/orders/micropay', '1764800000', 'abc', '{"a":1}')).toBe('POST\n/v1/orders/micropay\n1764800000\nabc\n{"a":1}\n');
    expect(messageCanonical('1764800000', 'abc', '')).toBe('1764800000\nabc\n\n');
  });

  it('HMAC-SHA256: the published RFC 4231 test case 2 ("what do ya want for nothing?")', () => {
    const jefe = hmacKey(Buffer.from('Jefe'.padEnd(32, '\0')).toString('hex'));
    // RFC 4231 uses the 4-byte key "Jefe"; HMAC pads short keys with zeros, so the 32-byte zero-padded key is the same key.
    expect(Buffer.from(signCanonical(jefe, 'what do ya want for nothing?'), 'base64').toString('hex')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('HMAC and RSA signatures verify, and fail for another string or key', () => {
    const canonical = requestCanonical('GET', '/v1/orders/out-trade-no/A1', '1', 'n'.repeat(16), '');
    expect(verifyCanonical(KEY, canonical, signCanonical(KEY, canonical))).toBe(true);
    expect(verifyCanonical(KEY, `${canonical}x`, signCanonical(KEY, canonical))).toBe(false);
    expect(verifyCanonical(KEY, canonical, 'not base64!')).toBe(false);

    const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const signature = signCanonical(rsaSigningKey(pair.privateKey), canonical);
    expect(verifyCanonical(rsaVerifyingKey(pair.publicKey), canonical, signature)).toBe(true);
    expect(verifyCanonical(rsaVerifyingKey(other.publicKey), canonical, signature)).toBe(false);
  });

  it('formats and parses the Authorization header of both APIs', () => {
    const merchant = { realm: 'merchant' as const, algorithm: 'HMAC-SHA256' as const, principal: '1900000001', nonce: 'a'.repeat(32), timestamp: '1764800000', signature: 'c2lnbmF0dXJl' };
    const header = formatAuthorization(merchant);
    expect(header).toBe(`WALLET-HMAC-SHA256 mchid="1900000001",nonce="${'a'.repeat(32)}",timestamp="1764800000",signature="c2lnbmF0dXJl"`);
    expect(parseAuthorization(header)).toEqual(merchant);
    expect(parseAuthorization(formatAuthorization({ ...merchant, realm: 'app', algorithm: 'RSA-SHA256', principal: '2088000000000001' }))).toMatchObject({ realm: 'app', principal: '2088000000000001' });
    expect(parseAuthorization(undefined)).toBe('no Authorization header');
    expect(parseAuthorization('Basic dXNlcjpwYXNz')).toBe('unknown Authorization scheme "Basic"');
    expect(parseAuthorization('WALLET-HMAC-SHA256 mchid="1",nonce="2"')).toMatch(/needs mchid, nonce, timestamp and signature/);
    expect(parseAuthorization('WALLET-HMAC-SHA256 mchid=1')).toMatch(/name="value" pairs/);
  });

  it('checks nonce form and the timestamp window on either side', () => {
    const now = new Date(1_764_800_000_000);
    expect(checkFreshness('a'.repeat(16), '1764800000', now, 300)).toBeUndefined();
    expect(checkFreshness('a'.repeat(16), '1764800301', now, 300)).toBe('stale');
    expect(checkFreshness('a'.repeat(16), '1764799699', now, 300)).toBe('stale');
    expect(checkFreshness('short', '1764800000', now, 300)).toBe('bad_nonce');
    expect(checkFreshness('a'.repeat(16), '17648e5', now, 300)).toBe('bad_timestamp');
  });
});
