/**
 * ANSI X9.24-1:2009 Annex A TDES DUKPT: the device side (IPEK + KSN → encrypted PIN block or card
 * data) and the host side (BDK + KSN → PIN or card data). Every transaction key is a one-way
 * function of the IPEK and the KSN counter, so a captured device key never reveals earlier
 * transactions' keys. The PIN key is the transaction key's PIN variant; the data key is its
 * data (request) variant passed through the A.4.1 one-way function.
 */
import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import { desEncryptBlock, tdesDecryptBlock, tdesDecryptCbc, tdesEncryptBlock, tdesEncryptCbc } from './block-cipher.ts';
import { assertTdesKsn, getKsnCounter, setKsnCounter } from './ksn.ts';
import { KsnError } from './ksn-error.ts';
import { LruCache } from './lru-cache.ts';
import { PinBlockError } from './pin-block-error.ts';
import { formatIso0PinBlock, parseIso0PinBlock } from './pin-block-iso0.ts';
import { xor } from './xor.ts';

// A.6 (IPEK right half) and A.2 (non-reversible key generation) both use this key variant.
const KEY_GENERATION_VARIANT = Buffer.from('C0C0C0C000000000C0C0C0C000000000', 'hex');
// A.4.1 table A-1: PIN encryption variant of the transaction key.
const PIN_VARIANT = Buffer.from('00000000000000FF00000000000000FF', 'hex');
// A.4.1 table A-1: data encryption variant, request (device → host) direction.
const DATA_REQUEST_VARIANT = Buffer.from('0000000000FF00000000000000FF0000', 'hex');
// Card data is CBC-encrypted under a key used for one transaction only, so a fixed IV repeats nothing.
const ZERO_IV = Buffer.alloc(8);
const TOP_COUNTER_BIT = 1 << 20;

/** A.6: IPEK = TDES(BDK, IKSN) | TDES(BDK ⊕ variant, IKSN), IKSN = leftmost 64 bits of the KSN with the counter cleared. */
export function deriveIpek(bdk: Buffer, ksn: Buffer): Buffer {
  requireDoubleLengthKey('BDK', bdk);
  assertTdesKsn(ksn);
  const initialKsnLeft = setKsnCounter(ksn, 0).subarray(0, 8);
  const bdkVariant = xor(bdk, KEY_GENERATION_VARIANT);
  const ipek = Buffer.concat([tdesEncryptBlock(bdk, initialKsnLeft), tdesEncryptBlock(bdkVariant, initialKsnLeft)]);
  bdkVariant.fill(0);
  return ipek;
}

/**
 * A.3: walk the counter's one-bits from the most significant down, setting each in the KSN register
 * (rightmost 64 bits of the KSN) and applying the A.2 non-reversible key generation at every step.
 */
export function deriveTransactionKey(ipek: Buffer, ksn: Buffer): Buffer {
  requireDoubleLengthKey('IPEK', ipek);
  assertTdesKsn(ksn);
  const counter = getKsnCounter(ksn);
  if (counter === 0) throw new KsnError('TDES KSN counter 0 is the initial KSN; no transaction uses it');
  return walkCounterBits(Buffer.from(ipek), ksn, 0, counter);
}

/**
 * Continues A.3 from the key of `fromCounter` (0: the IPEK), whose one-bits must be the high bits of
 * `toCounter`: sets the remaining bits, most significant first, one key generation each.
 */
function walkCounterBits(fromKey: Buffer, ksn: Buffer, fromCounter: number, toCounter: number): Buffer {
  const ksnRegister = setKsnCounter(ksn, fromCounter).subarray(2);
  let key = fromKey;
  for (let bit = TOP_COUNTER_BIT; bit !== 0; bit >>>= 1) {
    if ((toCounter & bit) === 0 || (fromCounter & bit) !== 0) continue;
    ksnRegister[5]! |= bit >>> 16;
    ksnRegister[6]! |= (bit >>> 8) & 0xff;
    ksnRegister[7]! |= bit & 0xff;
    const next = nonReversibleKeyGeneration(key, ksnRegister);
    key.fill(0);
    key = next;
  }
  return key;
}

export function pinKeyFromTransactionKey(transactionKey: Buffer): Buffer {
  requireDoubleLengthKey('transaction key', transactionKey);
  return xor(transactionKey, PIN_VARIANT);
}

/**
 * A.4.1: the data encryption (request) key: the transaction key's data variant, each half then
 * TDES-encrypted under the whole variant key (the one-way function of figure A-2), so the data key
 * does not give away the transaction key its PIN and MAC keys come from.
 */
export function dataKeyFromTransactionKey(transactionKey: Buffer): Buffer {
  requireDoubleLengthKey('transaction key', transactionKey);
  const variant = xor(transactionKey, DATA_REQUEST_VARIANT);
  try {
    return Buffer.concat([tdesEncryptBlock(variant, variant.subarray(0, 8)), tdesEncryptBlock(variant, variant.subarray(8))]);
  } finally {
    variant.fill(0);
  }
}

/** Device side: TDES-CBC (zero IV) of whole 8-byte blocks under the KSN's data key. */
export function encryptDataTdesDukpt(input: { ipek: Buffer; ksn: Buffer; data: Buffer }): Buffer {
  const transactionKey = deriveTransactionKey(input.ipek, input.ksn);
  return withWorkingKey(transactionKey, dataKeyFromTransactionKey, (dataKey) => tdesEncryptCbc(dataKey, ZERO_IV, input.data));
}

/** Host side: BDK → IPEK → transaction key → data key → the clear data, padding included. */
export function decryptDataTdesDukpt(input: { bdk: Buffer; ksn: Buffer; ciphertext: Buffer }): Buffer {
  const transactionKey = cachedTransactionKey(input.bdk, input.ksn);
  return withWorkingKey(transactionKey, dataKeyFromTransactionKey, (dataKey) => tdesDecryptCbc(dataKey, ZERO_IV, input.ciphertext));
}

/** PIN pad side: encrypt an already formatted clear PIN block under the KSN's PIN key. */
export function encryptPinBlockTdesDukpt(input: { ipek: Buffer; ksn: Buffer; clearPinBlock: Buffer }): Buffer {
  if (input.clearPinBlock.length !== 8) throw new PinBlockError('clear PIN block must be 8 bytes');
  return withPinKey(input.ipek, input.ksn, (pinKey) => tdesEncryptBlock(pinKey, input.clearPinBlock));
}

/** Host side: BDK → IPEK → transaction key → PIN key → clear PIN block. */
export function decryptPinBlockTdesDukpt(input: { bdk: Buffer; ksn: Buffer; encryptedPinBlock: Buffer }): Buffer {
  if (input.encryptedPinBlock.length !== 8) {
    throw new PinBlockError(`encrypted TDES PIN block must be 8 bytes, got ${input.encryptedPinBlock.length}`);
  }
  const transactionKey = cachedTransactionKey(input.bdk, input.ksn);
  return withWorkingKey(transactionKey, pinKeyFromTransactionKey, (pinKey) => tdesDecryptBlock(pinKey, input.encryptedPinBlock));
}

/** For the virtual PIN pad: ISO 9564-1 format 0 PIN block, DUKPT-encrypted. */
export function encryptPinTdesDukpt(input: { ipek: Buffer; ksn: Buffer; pin: string; pan: string }): Buffer {
  const clearPinBlock = formatIso0PinBlock(input.pin, input.pan);
  try {
    return encryptPinBlockTdesDukpt({ ipek: input.ipek, ksn: input.ksn, clearPinBlock });
  } finally {
    clearPinBlock.fill(0);
  }
}

/** For the host: recovers the PIN, or throws PinBlockError when the block does not decrypt to format 0 for this PAN. */
export function decryptPinTdesDukpt(input: { bdk: Buffer; ksn: Buffer; encryptedPinBlock: Buffer; pan: string }): string {
  const clearPinBlock = decryptPinBlockTdesDukpt(input);
  try {
    return parseIso0PinBlock(clearPinBlock, input.pan);
  } finally {
    clearPinBlock.fill(0);
  }
}

/** A.2 "Non-reversible Key Generation Process": right half from the key, left half from its C0C0 variant. */
function nonReversibleKeyGeneration(key: Buffer, ksnRegister: Buffer): Buffer {
  const rightHalf = oneWayHalf(key, ksnRegister);
  const keyVariant = xor(key, KEY_GENERATION_VARIANT);
  const leftHalf = oneWayHalf(keyVariant, ksnRegister);
  keyVariant.fill(0);
  return Buffer.concat([leftHalf, rightHalf]);
}

/** Crypto register = DES(key left, KSN register ⊕ key right) ⊕ key right. */
function oneWayHalf(key: Buffer, ksnRegister: Buffer): Buffer {
  const keyRight = key.subarray(8);
  return xor(desEncryptBlock(key.subarray(0, 8), xor(ksnRegister, keyRight)), keyRight);
}

function withPinKey(ipek: Buffer, ksn: Buffer, use: (pinKey: Buffer) => Buffer): Buffer {
  return withWorkingKey(deriveTransactionKey(ipek, ksn), pinKeyFromTransactionKey, use);
}

/** Uses the working key (PIN or data) of a transaction key, then wipes both. */
function withWorkingKey(transactionKey: Buffer, derive: (transactionKey: Buffer) => Buffer, use: (key: Buffer) => Buffer): Buffer {
  const workingKey = derive(transactionKey);
  try {
    return use(workingKey);
  } finally {
    transactionKey.fill(0);
    workingKey.fill(0);
  }
}

function requireDoubleLengthKey(name: string, key: Buffer): void {
  if (key.length !== 16) throw new RangeError(`${name} must be a 16-byte double-length TDES key, got ${key.length} bytes`);
}

// Host throughput. Every PIN pad (or encrypting reader) sends many transactions under one IPEK, and a counter's key is one
// key generation away from the key of its parent (the counter with its lowest one-bit cleared), which
// the same pad used just before. So the host keeps IPEKs and recent transaction keys in bounded LRUs
// and derives from the nearest cached ancestor: one key generation per PIN instead of up to ten.
// Cache keys are an HMAC under a per-process random salt: neither the BDK nor a reusable fingerprint
// of it is ever a map key. Values are copied out, so callers can wipe what they get.
const IPEK_CACHE_CAPACITY = 4096;
const TRANSACTION_KEY_CACHE_CAPACITY = 65_536;
const ipekCache = new LruCache<string, Buffer>(IPEK_CACHE_CAPACITY);
const transactionKeyCache = new LruCache<string, Buffer>(TRANSACTION_KEY_CACHE_CAPACITY);
const cacheKeySalt = createSecretKey(randomBytes(32));

function deviceCacheKey(bdk: Buffer, ksn: Buffer): string {
  return createHmac('sha256', cacheKeySalt).update(bdk).update(setKsnCounter(ksn, 0)).digest('base64');
}

function cachedIpek(bdk: Buffer, ksn: Buffer, device: string): Buffer {
  const cached = ipekCache.get(device);
  if (cached) return cached;
  const ipek = deriveIpek(bdk, ksn);
  ipekCache.set(device, ipek);
  return ipek;
}

function cachedTransactionKey(bdk: Buffer, ksn: Buffer): Buffer {
  requireDoubleLengthKey('BDK', bdk);
  assertTdesKsn(ksn);
  const counter = getKsnCounter(ksn);
  if (counter === 0) throw new KsnError('TDES KSN counter 0 is the initial KSN; no transaction uses it');
  const device = deviceCacheKey(bdk, ksn);
  const own = transactionKeyCache.get(`${device}:${counter}`);
  if (own) return Buffer.from(own);
  let ancestor = counter & (counter - 1);
  while (ancestor !== 0 && !transactionKeyCache.get(`${device}:${ancestor}`)) ancestor &= ancestor - 1;
  const start = ancestor === 0 ? cachedIpek(bdk, ksn, device) : (transactionKeyCache.get(`${device}:${ancestor}`) as Buffer);
  const key = walkCounterBits(Buffer.from(start), ksn, ancestor, counter);
  transactionKeyCache.set(`${device}:${counter}`, Buffer.from(key));
  return key;
}
