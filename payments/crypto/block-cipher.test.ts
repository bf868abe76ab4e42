import { describe, expect, it } from 'vitest';
import {
  aesDecryptBlock,
  aesDecryptCbc,
  aesEncryptBlock,
  aesEncryptCbc,
  desDecryptBlock,
  desEncryptBlock,
  tdesDecryptBlock,
  tdesDecryptCbc,
  tdesEncryptBlock,
  tdesEncryptCbc,
} from './block-cipher.ts';
import { xor } from './xor.ts';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

describe('DES', () => {
  // The textbook single-DES example (Stinson; Grabbe, "The DES Algorithm Illustrated").
  it('encrypts and decrypts the classic worked example', () => {
    expect(desEncryptBlock(hex('133457799BBCDFF1'), hex('0123456789ABCDEF'))).toEqual(hex('85E813540F0AB405'));
    expect(desDecryptBlock(hex('133457799BBCDFF1'), hex('85E813540F0AB405'))).toEqual(hex('0123456789ABCDEF'));
  });

  it('rejects a key that is not 8 bytes, without echoing it', () => {
    expect(() => desEncryptBlock(hex('0123456789ABCDEF01'), hex('0000000000000000'))).toThrow(
      'DES key must be 8 bytes, got 9',
    );
  });
});

describe('TDES', () => {
  const k1 = '0123456789ABCDEF';
  const k2 = '23456789ABCDEF01';
  const k3 = '456789ABCDEF0123';

  // NIST SP 800-67 example: three independent keys, first block of "The qufck brown fox jump".
  it('matches the SP 800-67 three-key example', () => {
    const key = hex(k1 + k2 + k3);
    expect(tdesEncryptBlock(key, Buffer.from('The qufc'))).toEqual(hex('A826FD8CE53B855F'));
    expect(tdesDecryptBlock(key, hex('CCE21C8112256FE6'))).toEqual(Buffer.from('k brown '));
  });

  it('treats a 16-byte key as K1|K2|K1', () => {
    const block = hex('0011223344556677');
    expect(tdesEncryptBlock(hex(k1 + k2), block)).toEqual(tdesEncryptBlock(hex(k1 + k2 + k1), block));
  });

  it('collapses to single DES when all three keys are equal', () => {
    const block = hex('0123456789ABCDEF');
    expect(tdesEncryptBlock(hex(k1 + k1), block)).toEqual(desEncryptBlock(hex(k1), block));
  });

  it('rejects blocks and keys of the wrong size', () => {
    expect(() => tdesEncryptBlock(hex(k1), hex('0011223344556677'))).toThrow('TDES key must be 16 or 24 bytes, got 8');
    expect(() => tdesEncryptBlock(hex(k1 + k2), hex('00112233'))).toThrow('TDES block must be 8 bytes, got 4');
  });
});

describe('AES', () => {
  // FIPS 197 Appendix C.1 (AES-128) and C.3 (AES-256).
  const plaintext = hex('00112233445566778899AABBCCDDEEFF');

  it('matches FIPS 197 C.1 for AES-128', () => {
    const key = hex('000102030405060708090A0B0C0D0E0F');
    expect(aesEncryptBlock(key, plaintext)).toEqual(hex('69C4E0D86A7B0430D8CDB78070B4C55A'));
    expect(aesDecryptBlock(key, hex('69C4E0D86A7B0430D8CDB78070B4C55A'))).toEqual(plaintext);
  });

  it('matches FIPS 197 C.3 for AES-256', () => {
    const key = hex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F');
    expect(aesEncryptBlock(key, plaintext)).toEqual(hex('8EA2B7CA516745BFEAFC49904B496089'));
    expect(aesDecryptBlock(key, hex('8EA2B7CA516745BFEAFC49904B496089'))).toEqual(plaintext);
  });

  it('rejects a 24-byte key (AES-192 is not used here) and short blocks', () => {
    expect(() => aesEncryptBlock(Buffer.alloc(24), plaintext)).toThrow('AES key must be 16 or 32 bytes, got 24');
    expect(() => aesEncryptBlock(Buffer.alloc(16), Buffer.alloc(8))).toThrow('AES block must be 16 bytes, got 8');
  });
});

describe('CBC', () => {
  // NIST SP 800-38A F.2.1 CBC-AES128.Encrypt, first two blocks.
  it('matches SP 800-38A F.2.1 for AES-128', () => {
    const key = hex('2B7E151628AED2A6ABF7158809CF4F3C');
    const iv = hex('000102030405060708090A0B0C0D0E0F');
    const plaintext = hex('6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51');
    const ciphertext = hex('7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B2');
    expect(aesEncryptCbc(key, iv, plaintext)).toEqual(ciphertext);
    expect(aesDecryptCbc(key, iv, ciphertext)).toEqual(plaintext);
  });

  it('chains TDES blocks as ECB with each block XORed with the one before', () => {
    const key = hex('0123456789ABCDEF23456789ABCDEF01');
    const iv = hex('F0E1D2C3B4A59687');
    const [p1, p2] = [hex('0011223344556677'), hex('8899AABBCCDDEEFF')];
    const c1 = tdesEncryptBlock(key, xor(p1, iv));
    const c2 = tdesEncryptBlock(key, xor(p2, c1));
    expect(tdesEncryptCbc(key, iv, Buffer.concat([p1, p2]))).toEqual(Buffer.concat([c1, c2]));
    expect(tdesDecryptCbc(key, iv, Buffer.concat([c1, c2]))).toEqual(Buffer.concat([p1, p2]));
  });

  it('refuses partial blocks, empty data and an IV of the wrong size', () => {
    expect(() => tdesEncryptCbc(hex('0123456789ABCDEF23456789ABCDEF01'), Buffer.alloc(8), Buffer.alloc(12))).toThrow('CBC data must be a non-empty multiple of 8 bytes, got 12');
    expect(() => aesEncryptCbc(Buffer.alloc(16), Buffer.alloc(16), Buffer.alloc(0))).toThrow(RangeError);
    expect(() => aesEncryptCbc(Buffer.alloc(16), Buffer.alloc(8), Buffer.alloc(16))).toThrow('IV must be 16 bytes, got 8');
  });
});
