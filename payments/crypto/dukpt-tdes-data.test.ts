import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  dataKeyFromTransactionKey,
  decryptDataTdesDukpt,
  deriveIpek,
  deriveTransactionKey,
  encryptDataTdesDukpt,
  encryptPinBlockTdesDukpt,
  pinKeyFromTransactionKey,
} from './dukpt-tdes.ts';
import { pseudoRandomBytes as bytes, pseudoRandomTdesKsn as randomKsn } from './dukpt-test-cases.fixture.ts';
import { ksnFromHex, nextKsn } from './ksn.ts';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const hexOf = (b: Buffer): string => b.toString('hex').toUpperCase();
const BDK = hex('0123456789ABCDEFFEDCBA9876543210');

// ANSI X9.24-1:2009 A.4 publishes PIN examples only. The data key variant's published example is
// ID TECH's (card data encrypted by a reader under the ANSI test BDK), as carried in the tests of
// Shopify/dukpt: the EMV tags 5A and 57 of a test card, zero-padded, TDES-CBC with a zero IV.
const IDTECH_KSN = 'FFFF01040DA058E00001';
const IDTECH_CIPHERTEXT = '85A8A7F9390FD19EABC40B5D624190287D729923D9EDAFE9F24773388A9A1BEF';
const IDTECH_PLAINTEXT = '5A08476173900101001057114761739001010010D15122011143878089000000';

describe('TDES DUKPT data encryption key (X9.24-1 data variant, request)', () => {
  it('decrypts and re-encrypts the published ID TECH example', () => {
    const ksn = ksnFromHex(IDTECH_KSN);
    expect(hexOf(decryptDataTdesDukpt({ bdk: BDK, ksn, ciphertext: hex(IDTECH_CIPHERTEXT) }))).toBe(IDTECH_PLAINTEXT);
    expect(hexOf(encryptDataTdesDukpt({ ipek: deriveIpek(BDK, ksn), ksn, data: hex(IDTECH_PLAINTEXT) }))).toBe(IDTECH_CIPHERTEXT);
  });

  it('is the data variant under the one-way function, not the PIN key', () => {
    const transactionKey = hex('042666B49184CFA368DE9628D0397BC9'); // A.4.2, KSN FFFF9876543210E00001
    const dataKey = dataKeyFromTransactionKey(transactionKey);
    expect(dataKey).not.toEqual(pinKeyFromTransactionKey(transactionKey));
    // Not the bare variant either: the one-way function changes every byte of it.
    expect(dataKey).not.toEqual(Buffer.from(transactionKey.map((b, i) => (i === 5 || i === 13 ? b ^ 0xff : b))));
    expect(dataKey).toHaveLength(16);
  });

  it('round-trips card data along the A.4.2 KSN sequence, every key its own', () => {
    const ipek = deriveIpek(BDK, ksnFromHex('FFFF9876543210E00000'));
    const tracks = Buffer.from(';4761739001010010=15122011143878089?\x1c%B4761739001010010^TEST/CARD^1512201000000000000000?', 'latin1');
    const data = Buffer.concat([tracks, Buffer.alloc(8 - (tracks.length % 8))]);
    const ciphertexts = new Set<string>();
    let ksn = ksnFromHex('FFFF9876543210E00000');
    for (let i = 0; i < 21; i++) {
      ksn = nextKsn(ksn);
      const ciphertext = encryptDataTdesDukpt({ ipek, ksn, data });
      expect(ciphertext).toHaveLength(data.length);
      expect(decryptDataTdesDukpt({ bdk: BDK, ksn, ciphertext })).toEqual(data);
      ciphertexts.add(hexOf(ciphertext));
    }
    expect(ciphertexts.size).toBe(21);
  });

  it('never encrypts a PIN block and card data alike under one KSN', () => {
    const ksn = ksnFromHex('FFFF9876543210E00001');
    const ipek = deriveIpek(BDK, ksn);
    const block = hex('041274EDCBA9876F');
    expect(encryptDataTdesDukpt({ ipek, ksn, data: block })).not.toEqual(encryptPinBlockTdesDukpt({ ipek, ksn, clearPinBlock: block }));
  });

  it('refuses data that is not whole 8-byte blocks, and the wrong BDK yields no card data', () => {
    const ksn = ksnFromHex(IDTECH_KSN);
    expect(() => encryptDataTdesDukpt({ ipek: deriveIpek(BDK, ksn), ksn, data: Buffer.alloc(13) })).toThrow(RangeError);
    const otherBdk = hex('FEDCBA98765432100123456789ABCDEF');
    expect(hexOf(decryptDataTdesDukpt({ bdk: otherBdk, ksn, ciphertext: hex(IDTECH_CIPHERTEXT) }))).not.toBe(IDTECH_PLAINTEXT);
  });

  it('derives the transaction key the data key starts from exactly as the PIN key does', () => {
    const ksn = ksnFromHex('FFFF9876543210E00008');
    expect(hexOf(deriveTransactionKey(deriveIpek(BDK, ksn), ksn))).toBe('27F66D5244FF62E1AA6F6120EDEB4280');
  });
});

describe('TDES DUKPT data key against the npm package "dukpt" (datakey mode)', () => {
  type Dukpt = {
    dukptEncrypt(data: string, options: { inputEncoding: 'hex'; outputEncoding: 'hex'; encryptionMode: '3DES' }): string;
    dukptDecrypt(data: string, options: { inputEncoding: 'hex'; outputEncoding: 'hex'; decryptionMode: '3DES' }): string;
  };
  const DukptPackage = createRequire(import.meta.url)('dukpt') as new (bdk: string, ksn: string, keyMode: 'datakey') => Dukpt;

  it.each(Array.from({ length: 24 }, (_, i) => i))('case %i', (i) => {
    const bdk = bytes(`bdk ${i}`, 16);
    const ksn = randomKsn(i);
    const data = bytes(`data ${i}`, 8 * (1 + (i % 16)));
    const ours = encryptDataTdesDukpt({ ipek: deriveIpek(bdk, ksn), ksn, data });
    const theirs = new DukptPackage(hexOf(bdk), hexOf(ksn), 'datakey');
    expect(hexOf(ours)).toBe(theirs.dukptEncrypt(hexOf(data), { inputEncoding: 'hex', outputEncoding: 'hex', encryptionMode: '3DES' }).toUpperCase());
    expect(theirs.dukptDecrypt(hexOf(ours), { inputEncoding: 'hex', outputEncoding: 'hex', decryptionMode: '3DES' }).toUpperCase()).toBe(hexOf(data));
    expect(decryptDataTdesDukpt({ bdk, ksn, ciphertext: ours })).toEqual(data);
  });
});
