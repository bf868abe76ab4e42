/**
 * ANSI X9.24-3:2017 AES DUKPT with an AES-128 BDK and AES-128 working keys: the device side
 * (initial key + KSN → ISO 9564 format 4 PIN block, or encrypted card data) and the host side
 * (BDK + KSN → PIN or card data). PIN and data keys differ only in the key usage of their
 * derivation data, so neither reveals the other.
 *
 * Every derivation is one AES-ECB encryption of 16 bytes of derivation data (§6.3.1) under the
 * previous key. Derivation data (§6.3.2, tables 2 and 3): version 01, key block counter 01,
 * key usage, algorithm, key length in bits, then 8 bytes taken from the KSN.
 */
import { aesDecryptCbc, aesEncryptBlock, aesEncryptCbc } from './block-cipher.ts';
import { assertAesKsn, getAesKsnCounter, initialKeyIdOf } from './ksn-aes.ts';
import { KsnError } from './ksn-error.ts';
import { PinBlockError } from './pin-block-error.ts';
import { decipherIso4PinBlock, encipherIso4PinBlock, formatIso4PinField, parseIso4PinField } from './pin-block-iso4.ts';

const KEY_USAGE_KEY_DERIVATION = 0x8000;
const KEY_USAGE_INITIAL_KEY = 0x8001;
const KEY_USAGE_PIN_ENCRYPTION = 0x1000;
/** Table 2 "Data Encryption, encrypt": the device encrypts with it, the host derives it to decrypt. */
const KEY_USAGE_DATA_ENCRYPTION_ENCRYPT = 0x3000;
const ZERO_IV = Buffer.alloc(16);
const ALGORITHM_AES_128 = 0x0002;
const AES_128_KEY_BITS = 128;
const TOP_COUNTER_BIT = 0x8000_0000;

/** §6.3.3: the initial key is derived from the BDK and the full 64-bit initial key ID. */
export function deriveInitialKeyAes(bdk: Buffer, initialKeyId: Buffer): Buffer {
  requireAes128Key('BDK', bdk);
  if (initialKeyId.length !== 8) throw new KsnError(`AES initial key ID must be 8 bytes, got ${initialKeyId.length}`);
  return aesEncryptBlock(bdk, derivationData(KEY_USAGE_INITIAL_KEY, initialKeyId));
}

/**
 * §6.1: starting from the initial key, set the counter's one-bits from the most significant down and
 * derive an intermediate key at each step; the key reached for the full counter is the transaction's.
 */
export function deriveTransactionKeyAes(initialKey: Buffer, ksn: Buffer): Buffer {
  requireAes128Key('initial key', initialKey);
  assertAesKsn(ksn);
  const counter = getAesKsnCounter(ksn);
  if (counter === 0) throw new KsnError('AES KSN counter 0 is the initial KSN; no transaction uses it');
  let key: Buffer = Buffer.from(initialKey);
  let workingCounter = 0;
  for (let bit = TOP_COUNTER_BIT; bit !== 0; bit >>>= 1) {
    if (((counter & bit) >>> 0) === 0) continue;
    workingCounter = (workingCounter | bit) >>> 0;
    const next = aesEncryptBlock(key, derivationData(KEY_USAGE_KEY_DERIVATION, counterData(ksn, workingCounter)));
    key.fill(0);
    key = next;
  }
  return key;
}

/** §6.3.2: the AES-128 PIN encryption working key for this KSN. */
export function derivePinKeyAes(transactionKey: Buffer, ksn: Buffer): Buffer {
  return deriveWorkingKey(transactionKey, ksn, KEY_USAGE_PIN_ENCRYPTION);
}

/** §6.3.2: the AES-128 data encryption (encrypt) working key for this KSN. */
export function deriveDataKeyAes(transactionKey: Buffer, ksn: Buffer): Buffer {
  return deriveWorkingKey(transactionKey, ksn, KEY_USAGE_DATA_ENCRYPTION_ENCRYPT);
}

/** Device side: AES-128-CBC (zero IV) of whole 16-byte blocks under the KSN's data key. */
export function encryptDataAesDukpt(input: { initialKey: Buffer; ksn: Buffer; data: Buffer }): Buffer {
  return withWorkingKey(input.initialKey, input.ksn, deriveDataKeyAes, (dataKey) => aesEncryptCbc(dataKey, ZERO_IV, input.data));
}

/** Host side: BDK → initial key → transaction key → data key → the clear data, padding included. */
export function decryptDataAesDukpt(input: { bdk: Buffer; ksn: Buffer; ciphertext: Buffer }): Buffer {
  const initialKey = deriveInitialKeyAes(input.bdk, initialKeyIdOf(input.ksn));
  try {
    return withWorkingKey(initialKey, input.ksn, deriveDataKeyAes, (dataKey) => aesDecryptCbc(dataKey, ZERO_IV, input.ciphertext));
  } finally {
    initialKey.fill(0);
  }
}

/** For the virtual PIN pad: ISO 9564-1 format 4 PIN block under the KSN's PIN key. */
export function encryptPinAesDukpt(input: { initialKey: Buffer; ksn: Buffer; pin: string; pan: string }): Buffer {
  const pinField = formatIso4PinField(input.pin);
  try {
    return withPinKey(input.initialKey, input.ksn, (pinKey) => encipherIso4PinBlock(pinKey, pinField, input.pan));
  } finally {
    pinField.fill(0);
  }
}

/** For the host: recovers the PIN, or throws PinBlockError when the block does not decipher to format 4 for this PAN. */
export function decryptPinAesDukpt(input: { bdk: Buffer; ksn: Buffer; encryptedPinBlock: Buffer; pan: string }): string {
  if (input.encryptedPinBlock.length !== 16) {
    throw new PinBlockError(`encrypted AES PIN block must be 16 bytes, got ${input.encryptedPinBlock.length}`);
  }
  const initialKey = deriveInitialKeyAes(input.bdk, initialKeyIdOf(input.ksn));
  try {
    const pinField = withPinKey(initialKey, input.ksn, (pinKey) =>
      decipherIso4PinBlock(pinKey, input.encryptedPinBlock, input.pan),
    );
    try {
      return parseIso4PinField(pinField);
    } finally {
      pinField.fill(0);
    }
  } finally {
    initialKey.fill(0);
  }
}

function withPinKey(initialKey: Buffer, ksn: Buffer, use: (pinKey: Buffer) => Buffer): Buffer {
  return withWorkingKey(initialKey, ksn, derivePinKeyAes, use);
}

function withWorkingKey(initialKey: Buffer, ksn: Buffer, derive: (transactionKey: Buffer, ksn: Buffer) => Buffer, use: (key: Buffer) => Buffer): Buffer {
  const transactionKey = deriveTransactionKeyAes(initialKey, ksn);
  const workingKey = derive(transactionKey, ksn);
  try {
    return use(workingKey);
  } finally {
    transactionKey.fill(0);
    workingKey.fill(0);
  }
}

function deriveWorkingKey(transactionKey: Buffer, ksn: Buffer, keyUsage: number): Buffer {
  requireAes128Key('transaction key', transactionKey);
  assertAesKsn(ksn);
  return aesEncryptBlock(transactionKey, derivationData(keyUsage, counterData(ksn, getAesKsnCounter(ksn))));
}

function derivationData(keyUsage: number, ksnData: Buffer): Buffer {
  const data = Buffer.alloc(16);
  data[0] = 0x01; // version
  data[1] = 0x01; // key block counter: one AES block is a whole 128-bit key
  data.writeUInt16BE(keyUsage, 2);
  data.writeUInt16BE(ALGORITHM_AES_128, 4);
  data.writeUInt16BE(AES_128_KEY_BITS, 6);
  ksnData.copy(data, 8);
  return data;
}

/** Working and intermediate keys use the derivation ID (right half of the initial key ID) and a counter. */
function counterData(ksn: Buffer, counter: number): Buffer {
  const data = Buffer.alloc(8);
  ksn.copy(data, 0, 4, 8);
  data.writeUInt32BE(counter, 4);
  return data;
}

function requireAes128Key(name: string, key: Buffer): void {
  if (key.length !== 16) throw new RangeError(`${name} must be a 16-byte AES-128 key, got ${key.length} bytes`);
}
