/**
 * The DES primitives EMV's symmetric cryptography is made of (EMV Book 2 Annex A1): TDES ECB on
 * double-length keys, ISO/IEC 9797-1 MAC algorithm 3 (the "retail MAC": single-DES CBC with key A,
 * then decrypt with B and encrypt with A on the last block) with padding method 1 or 2, DES key
 * parity and key check values. On node:crypto through payments/crypto/block-cipher.ts.
 */
import { createCipheriv, createSecretKey } from 'node:crypto';
import { desDecryptBlock, desEncryptBlock, tdesEncryptBlock } from '../../crypto/block-cipher.ts';

/** ISO/IEC 9797-1 padding: method 1 pads with zeros (none if already aligned), method 2 adds 0x80 then zeros. */
export type MacPadding = 1 | 2;

export function padIso9797(data: Uint8Array, method: MacPadding): Buffer {
  const withMarker = method === 2 ? Buffer.concat([data, Buffer.from([0x80])]) : Buffer.from(data);
  const remainder = withMarker.length % 8;
  if (remainder === 0 && withMarker.length > 0) return withMarker;
  return Buffer.concat([withMarker, Buffer.alloc(8 - remainder)]);
}

/** ISO/IEC 9797-1 MAC algorithm 3 under a 16-byte key; `length` bytes of the result (4–8). */
export function retailMac(key: Buffer, data: Uint8Array, padding: MacPadding, length = 8): Buffer {
  if (key.length !== 16) throw new RangeError('a MAC key must be 16 bytes (double-length DES)');
  const keyA = key.subarray(0, 8);
  const keyB = key.subarray(8, 16);
  const padded = padIso9797(data, padding);
  // Single-DES CBC under key A over every block (one cipher object: TDEA with K1 = K2 = K3 is DES);
  // the last ciphertext block is the chain value the final D(B), E(A) steps apply to.
  const cipher = createCipheriv('des-ede3-cbc', createSecretKey(Buffer.concat([keyA, keyA, keyA])), Buffer.alloc(8)).setAutoPadding(false);
  const chained = Buffer.concat([cipher.update(padded), cipher.final()]);
  const chain = chained.subarray(chained.length - 8);
  return desEncryptBlock(keyA, desDecryptBlock(keyB, chain)).subarray(0, length);
}

/**
 * TDES ECB encryption of whole 8-byte blocks under a double-length key: each block is CBC with a
 * zero IV (the portable ECB of block-cipher.ts), all under one KeyObject, since importing the key is
 * what costs on Node 24, and the host runs this for every chip authorization.
 */
export function tdesEncryptEcb(key: Buffer, data: Buffer): Buffer {
  if (data.length % 8 !== 0) throw new RangeError('TDES ECB data must be whole 8-byte blocks');
  if (key.length !== 16) throw new RangeError('an EMV key is 16 bytes (double-length TDES)');
  const secret = createSecretKey(Buffer.concat([key, key.subarray(0, 8)]));
  const blocks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += 8) {
    const cipher = createCipheriv('des-ede3-cbc', secret, ZERO_IV).setAutoPadding(false);
    blocks.push(cipher.update(data.subarray(offset, offset + 8)), cipher.final());
  }
  return Buffer.concat(blocks);
}

const ZERO_IV = Buffer.alloc(8);

/** Sets each byte's least significant bit so it has odd parity, as DES keys must. */
export function adjustParity(key: Buffer): Buffer {
  const out = Buffer.from(key);
  for (let i = 0; i < out.length; i++) {
    let bits = out[i]! & 0xfe;
    let ones = 0;
    for (let v = bits; v !== 0; v >>= 1) ones += v & 1;
    if (ones % 2 === 0) bits |= 1;
    out[i] = bits;
  }
  return out;
}

/** Key check value: the first `length` bytes of the key encrypting eight zero bytes. */
export function keyCheckValue(key: Buffer, length = 3): string {
  return tdesEncryptBlock(key, Buffer.alloc(8)).subarray(0, length).toString('hex').toUpperCase();
}
