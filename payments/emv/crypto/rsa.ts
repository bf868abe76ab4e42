/**
 * Raw RSA as EMV offline data authentication uses it (Book 2 §5–6, Annex A2.1): the "signature" is
 * the recovered message itself (ISO/IEC 9796-2 style, header 6A, trailer BC), so no padding scheme
 * of node:crypto applies. Public operations (the terminal's recovery) are BigInt modular
 * exponentiation; private ones (a card signing, the test PKI issuing certificates) go through
 * node:crypto's RSA_NO_PADDING with the key's CRT parameters.
 */
import { constants, createPrivateKey, privateDecrypt, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface RsaPublicKey {
  readonly modulus: Buffer;
  readonly exponent: Buffer;
}

/** An RSA private key as a JWK (n, e, d, p, q, dp, dq, qi in base64url), the form the test PKI files keep. */
export type RsaPrivateJwk = JsonWebKey & { kty: 'RSA'; n: string; e: string; d: string };

export function publicKeyOf(jwk: RsaPrivateJwk): RsaPublicKey {
  return { modulus: Buffer.from(jwk.n, 'base64url'), exponent: Buffer.from(jwk.e, 'base64url') };
}

function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

function toBytes(value: bigint, length: number): Buffer {
  const hex = value.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new RangeError('value does not fit the modulus length');
  return Buffer.from(hex, 'hex');
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** m = s^e mod n, as many bytes as the modulus. Throws when the input is not below the modulus. */
export function rsaRecover(key: RsaPublicKey, signature: Buffer): Buffer {
  if (signature.length !== key.modulus.length) throw new RangeError(`signature is ${signature.length} bytes, the key ${key.modulus.length}`);
  const n = toBigInt(key.modulus);
  const s = toBigInt(signature);
  if (s >= n) throw new RangeError('signature is not below the modulus');
  return toBytes(modPow(s, toBigInt(key.exponent), n), key.modulus.length);
}

const privateKeys = new WeakMap<RsaPrivateJwk, KeyObject>();

/** s = m^d mod n, as many bytes as the modulus (the card's and the CA's signing operation). */
export function rsaSign(jwk: RsaPrivateJwk, message: Buffer): Buffer {
  let key = privateKeys.get(jwk);
  if (!key) {
    key = createPrivateKey({ key: jwk, format: 'jwk' });
    privateKeys.set(jwk, key);
  }
  return privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, message);
}
