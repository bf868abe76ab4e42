/**
 * DES, TDES and AES over node:crypto: single blocks (ECB) for key derivation and PIN blocks, and
 * CBC over whole blocks for card data.
 *
 * Only cipher names present in both OpenSSL 3 (Node) and BoringSSL (Electron) are used:
 * 'des-ede3-cbc' with a zero IV on one 8-byte block is exactly TDEA ECB (NIST SP 800-67 §3),
 * and single DES is TDEA keying option 3, K1 = K2 = K3, which collapses E(K)·D(K)·E(K) to E(K).
 * 'des-ecb' is deliberately avoided: OpenSSL 3 only ships it in the legacy provider.
 */
import { createCipheriv, createDecipheriv, createSecretKey } from 'node:crypto';

const DES_BLOCK_BYTES = 8;
const AES_BLOCK_BYTES = 16;
const ZERO_IV = Buffer.alloc(DES_BLOCK_BYTES);

export function desEncryptBlock(key: Buffer, block: Buffer): Buffer {
  return tdes('encrypt', singleDesAsTdesKey(key), block);
}

export function desDecryptBlock(key: Buffer, block: Buffer): Buffer {
  return tdes('decrypt', singleDesAsTdesKey(key), block);
}

/** 16-byte keys are double-length TDEA (K1|K2|K1, keying option 2); 24-byte keys are K1|K2|K3. */
export function tdesEncryptBlock(key: Buffer, block: Buffer): Buffer {
  return tdes('encrypt', tripleLengthKey(key), block);
}

export function tdesDecryptBlock(key: Buffer, block: Buffer): Buffer {
  return tdes('decrypt', tripleLengthKey(key), block);
}

/** AES-128 or AES-256 (FIPS 197) on one 16-byte block, ECB. */
export function aesEncryptBlock(key: Buffer, block: Buffer): Buffer {
  return aes('encrypt', key, block);
}

export function aesDecryptBlock(key: Buffer, block: Buffer): Buffer {
  return aes('decrypt', key, block);
}

/**
 * CBC over whole blocks, no padding: the caller pads (card data readers zero-fill, so the
 * plaintext's own format says where it ends). A 16-byte TDES key is K1|K2|K1, as above.
 */
export function tdesEncryptCbc(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  return cbc('encrypt', 'des-ede3-cbc', tripleLengthKey(key), iv, data, DES_BLOCK_BYTES);
}

export function tdesDecryptCbc(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  return cbc('decrypt', 'des-ede3-cbc', tripleLengthKey(key), iv, data, DES_BLOCK_BYTES);
}

export function aesEncryptCbc(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  requireLength('AES key', key, [16, 32]);
  return cbc('encrypt', key.length === 16 ? 'aes-128-cbc' : 'aes-256-cbc', key, iv, data, AES_BLOCK_BYTES);
}

export function aesDecryptCbc(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  requireLength('AES key', key, [16, 32]);
  return cbc('decrypt', key.length === 16 ? 'aes-128-cbc' : 'aes-256-cbc', key, iv, data, AES_BLOCK_BYTES);
}

type Direction = 'encrypt' | 'decrypt';

function cbc(direction: Direction, cipherName: string, key: Buffer, iv: Buffer, data: Buffer, blockBytes: number): Buffer {
  requireLength('IV', iv, [blockBytes]);
  if (data.length === 0 || data.length % blockBytes !== 0) {
    throw new RangeError(`CBC data must be a non-empty multiple of ${blockBytes} bytes, got ${data.length}`);
  }
  return runOnce(direction, cipherName, key, iv, data);
}

function tdes(direction: Direction, key24: Buffer, block: Buffer): Buffer {
  requireLength('TDES block', block, [DES_BLOCK_BYTES]);
  return runOnce(direction, 'des-ede3-cbc', key24, ZERO_IV, block);
}

function aes(direction: Direction, key: Buffer, block: Buffer): Buffer {
  requireLength('AES key', key, [16, 32]);
  requireLength('AES block', block, [AES_BLOCK_BYTES]);
  return runOnce(direction, key.length === 16 ? 'aes-128-ecb' : 'aes-256-ecb', key, null, block);
}

function runOnce(direction: Direction, cipherName: string, key: Buffer, iv: Buffer | null, block: Buffer): Buffer {
  // A KeyObject rather than raw bytes: Node 24 spends ~12 µs per call importing raw key bytes, and a
  // DUKPT derivation makes several calls per PIN block.
  const secret = createSecretKey(key);
  const cipher = direction === 'encrypt' ? createCipheriv(cipherName, secret, iv) : createDecipheriv(cipherName, secret, iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
}

function singleDesAsTdesKey(key: Buffer): Buffer {
  requireLength('DES key', key, [8]);
  return Buffer.concat([key, key, key]);
}

function tripleLengthKey(key: Buffer): Buffer {
  requireLength('TDES key', key, [16, 24]);
  return key.length === 24 ? key : Buffer.concat([key, key.subarray(0, 8)]);
}

/** Lengths only: key material never appears in an error message. */
function requireLength(what: string, value: Buffer, allowed: readonly number[]): void {
  if (!allowed.includes(value.length)) {
    throw new RangeError(`${what} must be ${allowed.join(' or ')} bytes, got ${value.length}`);
  }
}
