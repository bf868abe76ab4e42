import { createCipheriv, createDecipheriv, randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeCvv, decimalize, prepareCvk } from './cvv.ts';

const cvk = (hex: string) => prepareCvk(Buffer.from(hex, 'hex'));

/**
 * The CVV computed a second way, straight on node:crypto: it is the ISO 9797-1 "retail MAC"
 * (MAC algorithm 3) of the two blocks under CVK A|B — DES-CBC under A over both blocks, then decrypt
 * under B and encrypt under A — decimalized. Single DES is 'des-ede3' with K1 = K2 = K3.
 */
function independentCvv(key: Buffer, pan: string, expiry: string, serviceCode: string): string {
  const data = Buffer.from(`${pan}${expiry}${serviceCode}`.padEnd(32, '0'), 'hex');
  const single = (half: Buffer) => Buffer.concat([half, half, half]);
  const a = key.subarray(0, 8);
  const b = key.subarray(8, 16);
  const cbc = createCipheriv('des-ede3-cbc', single(a), Buffer.alloc(8)).setAutoPadding(false);
  const lastBlock = Buffer.concat([cbc.update(data), cbc.final()]).subarray(8, 16);
  const decryptB = createDecipheriv('des-ede3-ecb', single(b), null).setAutoPadding(false);
  const encryptA = createCipheriv('des-ede3-ecb', single(a), null).setAutoPadding(false);
  const mac = Buffer.concat([encryptA.update(Buffer.concat([decryptB.update(lastBlock), decryptB.final()])), encryptA.final()]);
  const hex = mac.toString('hex').toUpperCase();
  const digits = [...hex].filter((char) => char <= '9').join('') + [...hex].filter((char) => char > '9').map((char) => char.charCodeAt(0) - 65).join('');
  return digits.slice(0, 3);
}

describe('computeCvv', () => {
  // Published examples: psec's generate_cvv docstring and test (knovichikhin/psec, psec/cvv.py and
  // tests/test_cvv.py), and a worked CVC example with its intermediate result 24E1A05574051BBF
  // (expiry given as MMYY there: the algorithm takes whatever four digits the issuer chose).
  it.each([
    ['0123456789ABCDEFFEDCBA9876543210', '1234567890123456', '9912', '220', '170'],
    ['99999999999999998888888888888888', '2222222222222222', '3333', '111', '361'],
    ['D676DCF3AFB7350532EAF00EA253D875', '4123450990122129', '0721', '202', '241'],
  ])('matches the published vector CVK %s PAN %s', (key, pan, expiry, serviceCode, expected) => {
    expect(computeCvv(cvk(key), { pan, expiry, serviceCode })).toBe(expected);
  });

  it('agrees with a retail-MAC computation on node:crypto for random keys and cards', () => {
    for (let i = 0; i < 200; i++) {
      const key = randomBytes(16);
      const pan = Array.from({ length: randomInt(13, 20) }, () => randomInt(0, 10)).join('');
      const expiry = `${randomInt(20, 40)}${String(randomInt(1, 13)).padStart(2, '0')}`;
      const serviceCode = String(randomInt(100, 1000));
      expect(computeCvv(prepareCvk(key), { pan, expiry, serviceCode }), `${key.toString('hex')} ${pan}`).toBe(independentCvv(key, pan, expiry, serviceCode));
    }
  });

  it('changes when the service code or expiry on the stripe changes', () => {
    const key = cvk('0123456789ABCDEFFEDCBA9876543210');
    const card = { pan: '4111110000000013', expiry: '3106', serviceCode: '101' };
    const cvvs = new Set([card, { ...card, serviceCode: '201' }, { ...card, expiry: '3107' }].map((variant) => computeCvv(key, variant)));
    expect(cvvs.size).toBe(3);
  });

  it('refuses a key that is not a CVK pair', () => {
    expect(() => prepareCvk(Buffer.alloc(8))).toThrow(/16 bytes/);
  });
});

describe('decimalize', () => {
  it('takes decimal digits first, left to right', () => {
    expect(decimalize('24E1A05574051BBF', 4)).toBe('2410');
  });

  it('falls back to the letters A–F as 0–5 when there are too few digits', () => {
    expect(decimalize('ABCDEF1F', 3)).toBe('101');
    expect(decimalize('FEDCBA9A', 4)).toBe('9543');
  });
});
