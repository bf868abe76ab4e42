/**
 * The DES primitives EMV's symmetric cryptography is made of (EMV Book 2 Annex A1): TDES ECB on
 * double-length keys, ISO/IEC 9797-1 MAC algorithm 3 (the "retail MAC": single-DES CBC with key A,
 * then decrypt with B and encrypt with A on the last block) with padding method 1 or 2, DES key
 * parity and key check values. On node:crypto through payments/crypto/block-cipher.ts.
 */
import { createCipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import { tdesEncryptBlock } from '../../crypto/block-cipher.ts';

/** ISO/IEC 9797-1 padding: method 1 pads with zeros (none if already aligned), method 2 adds 0x80 then zeros. */
export type MacPadding = 1 | 2;

export function padIso9797(data: Uint8Array, method: MacPadding): Buffer {
  const withMarker = method === 2 ? Buffer.concat([data, Buffer.from([0x80])]) : Buffer.from(data);
  const remainder = withMarker.length % 8;
  if (remainder === 0 && withMarker.length > 0) return withMarker;
  return Buffer.concat([withMarker, Buffer.alloc(8 - remainder)]);
}

/**
 * The KeyObjects made from a 16-byte key, kept with the key's Buffer for as long as it lives: on
 * Node 24 importing key bytes costs more than the DES itself, and the host uses the same card key
 * for every request of a card and the same session key for a request's ARQC and ARPC. A key Buffer
 * is never changed in place once used (every derivation here returns a new one).
 */
interface KeyObjects {
  /** Key A three times: TDEA with K1 = K2 = K3 is single DES under A. */
  single?: KeyObject;
  /** A, B, A: double-length TDEA. */
  double?: KeyObject;
}
const keyObjects = new WeakMap<Buffer, KeyObjects>();

function objectsOf(key: Buffer): KeyObjects {
  let objects = keyObjects.get(key);
  if (objects === undefined) {
    objects = {};
    keyObjects.set(key, objects);
  }
  return objects;
}

function singleDes(key: Buffer): KeyObject {
  const objects = objectsOf(key);
  const keyA = key.subarray(0, 8);
  return (objects.single ??= createSecretKey(Buffer.concat([keyA, keyA, keyA])));
}

function doubleLength(key: Buffer): KeyObject {
  const objects = objectsOf(key);
  return (objects.double ??= createSecretKey(Buffer.concat([key, key.subarray(0, 8)])));
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 under a 16-byte key; `length` bytes of the result (4–8). Single-DES
 * CBC under key A over all blocks but the last, then the last block under E(A)·D(B)·E(A), which is
 * TDEA with K1 = K3 = A, K2 = B, chained from the previous block: two cipher objects in all (each
 * costs a key import on Node 24, and the host runs this for every chip authorization).
 */
export function retailMac(key: Buffer, data: Uint8Array, padding: MacPadding, length = 8): Buffer {
  if (key.length !== 16) throw new RangeError('a MAC key must be 16 bytes (double-length DES)');
  const padded = padIso9797(data, padding);
  const last = padded.length - 8;
  let chain: Buffer = ZERO_IV;
  if (last > 0) {
    // TDEA with K1 = K2 = K3 is single DES.
    const single = createCipheriv('des-ede3-cbc', singleDes(key), ZERO_IV).setAutoPadding(false);
    chain = single.update(padded.subarray(0, last)).subarray(last - 8);
  }
  const final = createCipheriv('des-ede3-cbc', doubleLength(key), chain).setAutoPadding(false);
  return final.update(padded.subarray(last)).subarray(0, length);
}

/**
 * TDES ECB encryption of whole 8-byte blocks under a double-length key, with one cipher object: the
 * portable ECB of block-cipher.ts is CBC, so each block goes in XORed with the previous ciphertext,
 * which CBC's own XOR cancels.
 */
export function tdesEncryptEcb(key: Buffer, data: Buffer): Buffer {
  if (data.length % 8 !== 0) throw new RangeError('TDES ECB data must be whole 8-byte blocks');
  if (key.length !== 16) throw new RangeError('an EMV key is 16 bytes (double-length TDES)');
  const cipher = createCipheriv('des-ede3-cbc', doubleLength(key), ZERO_IV).setAutoPadding(false);
  const out = Buffer.alloc(data.length);
  let previous: Buffer = ZERO_IV;
  for (let offset = 0; offset < data.length; offset += 8) {
    const block = Buffer.from(data.subarray(offset, offset + 8));
    for (let i = 0; i < 8; i++) block[i]! ^= previous[i]!;
    previous = cipher.update(block);
    previous.copy(out, offset);
  }
  return out;
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
