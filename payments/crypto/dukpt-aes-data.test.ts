import { describe, expect, it } from 'vitest';
import { decryptDataAesDukpt, deriveDataKeyAes, deriveInitialKeyAes, derivePinKeyAes, deriveTransactionKeyAes, encryptDataAesDukpt } from './dukpt-aes.ts';
import { aesDecryptCbc } from './block-cipher.ts';
import { aesKsnFromHex, nextAesKsn } from './ksn-aes.ts';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const hexOf = (b: Buffer): string => b.toString('hex').toUpperCase();

// Supplement to ANSI X9.24-3:2017, test vectors for the AES-128 BDK: the "Data Encryption, encrypt"
// working keys (key usage 3000, derivation data 0101 3000 0002 0080 …) of transactions 1 and 8.
const BDK = hex('FEDCBA9876543210F1F1F1F1F1F1F1F1');
const INITIAL_KEY = hex('1273671EA26AC29AFA4D1084127652A1');
const DATA_KEYS: readonly (readonly [string, string])[] = [
  ['123456789012345600000001', 'A35C412EFD41FDB98B69797C02DCD08F'],
  ['123456789012345600000008', '650F34204ABD4E57764D61AC3D266FB1'],
];

describe('AES DUKPT data encryption key (X9.24-3 key usage "Data Encryption, encrypt")', () => {
  it('starts from the published initial key', () => {
    expect(deriveInitialKeyAes(BDK, hex('1234567890123456'))).toEqual(INITIAL_KEY);
  });

  it.each(DATA_KEYS)('derives the published data key for KSN %s', (ksnHex, dataKey) => {
    const ksn = aesKsnFromHex(ksnHex);
    const transactionKey = deriveTransactionKeyAes(INITIAL_KEY, ksn);
    expect(hexOf(deriveDataKeyAes(transactionKey, ksn))).toBe(dataKey);
    expect(deriveDataKeyAes(transactionKey, ksn)).not.toEqual(derivePinKeyAes(transactionKey, ksn));
  });

  it('encrypts under that key, AES-128-CBC with a zero IV, and the host decrypts with the BDK', () => {
    const ksn = aesKsnFromHex(DATA_KEYS[0]![0]);
    const data = Buffer.from(';4111111111111111=30122011000012300000?\0\0\0\0\0\0\0\0\0', 'latin1');
    const ciphertext = encryptDataAesDukpt({ initialKey: INITIAL_KEY, ksn, data });
    expect(aesDecryptCbc(hex(DATA_KEYS[0]![1]), Buffer.alloc(16), ciphertext)).toEqual(data);
    expect(decryptDataAesDukpt({ bdk: BDK, ksn, ciphertext })).toEqual(data);
  });

  it('round-trips card data along a KSN sequence, every key its own', () => {
    const data = Buffer.alloc(64, 0x3b);
    const seen = new Set<string>();
    let ksn = aesKsnFromHex('123456789012345600000000');
    for (let i = 0; i < 16; i++) {
      ksn = nextAesKsn(ksn);
      const ciphertext = encryptDataAesDukpt({ initialKey: INITIAL_KEY, ksn, data });
      expect(decryptDataAesDukpt({ bdk: BDK, ksn, ciphertext })).toEqual(data);
      seen.add(hexOf(ciphertext));
    }
    expect(seen.size).toBe(16);
  });

  it('refuses data that is not whole 16-byte blocks', () => {
    expect(() => encryptDataAesDukpt({ initialKey: INITIAL_KEY, ksn: aesKsnFromHex(DATA_KEYS[0]![0]), data: Buffer.alloc(24) })).toThrow(RangeError);
  });
});
