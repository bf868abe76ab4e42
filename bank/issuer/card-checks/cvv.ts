/**
 * The Visa CVV (Mastercard's CVC uses the same algorithm), as an issuer's HSM computes it (IBM CCA
 * CVV_Generate, Thales "CW"): the digits PAN + expiry (YYMM) + service code, right-padded with zeros
 * to 32, are two 64-bit blocks. Block 1 is DES-encrypted under CVK A, XORed with block 2, and the
 * result TDES-encrypted under the pair A|B (encrypt A, decrypt B, encrypt A). The 16 hex digits are
 * decimalized and the first three are the CVV.
 *
 * The CVK is a double-length key whose halves are CVK A and CVK B. The CVV is a secret of the card
 * and the issuer: it is never logged or stored, only recomputed and compared.
 *
 * The cipher runs on node:crypto directly with KeyObjects made once per CVK (prepareCvk) rather than
 * through payments/crypto/block-cipher.ts, which takes raw key bytes: on Node 24 importing raw key
 * bytes costs about 12 µs per cipher, four times the DES itself, and every purchase checks a CVV.
 * Same construction as there: 'des-ede3-cbc' with a zero IV on one block is TDEA ECB, and K1 = K2 = K3
 * makes it single DES.
 */
import { createCipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import { xor } from '../../../payments/crypto/xor.ts';

export const CVV_DIGITS = 3;
const ZERO_IV = Buffer.alloc(8);

/** A CVK ready to use: CVK A as a single-DES key, and the pair A|B as a TDES key. */
export interface CvvKey {
  readonly singleA: KeyObject;
  readonly pairAB: KeyObject;
}

/** `cvk` is 16 bytes: CVK A then CVK B. */
export function prepareCvk(cvk: Buffer): CvvKey {
  if (cvk.length !== 16) throw new RangeError(`a CVK must be 16 bytes (CVK A and CVK B), got ${cvk.length}`);
  const keyA = cvk.subarray(0, 8);
  return { singleA: createSecretKey(Buffer.concat([keyA, keyA, keyA])), pairAB: createSecretKey(Buffer.concat([cvk, keyA])) };
}

export interface CvvInput {
  readonly pan: string;
  /** YYMM, as on the stripe. */
  readonly expiry: string;
  readonly serviceCode: string;
}

export function computeCvv(cvk: CvvKey, { pan, expiry, serviceCode }: CvvInput): string {
  const data = `${pan}${expiry}${serviceCode}`;
  if (!/^\d+$/.test(data) || data.length > 32) throw new RangeError('PAN, expiry and service code must be at most 32 digits together');
  const padded = data.padEnd(32, '0');
  const block1 = Buffer.from(padded.slice(0, 16), 'hex');
  const block2 = Buffer.from(padded.slice(16), 'hex');
  const chained = xor(encryptBlock(cvk.singleA, block1), block2);
  return decimalize(encryptBlock(cvk.pairAB, chained).toString('hex'), CVV_DIGITS);
}

function encryptBlock(key: KeyObject, block: Buffer): Buffer {
  const cipher = createCipheriv('des-ede3-cbc', key, ZERO_IV).setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
}

/**
 * The standard decimalization of CVV and PVV: the decimal digits of the hex string left to right,
 * then, if more are needed, its letters A–F left to right as 0–5.
 */
export function decimalize(hex: string, digits: number): string {
  let decimal = '';
  for (const char of hex) if (char >= '0' && char <= '9') decimal += char;
  for (const char of hex.toUpperCase()) if (char >= 'A' && char <= 'F') decimal += String(char.charCodeAt(0) - 65);
  return decimal.slice(0, digits);
}
