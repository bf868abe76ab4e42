/**
 * ISO 9564-1:2017 PIN block format 4 (§9.4.2), the 16-byte format for AES.
 *
 * PIN field (§9.4.2.2.2): control 4, PIN length N, N PIN digits, fill A up to nibble 16, then 8 random bytes.
 * PAN field (§9.4.2.2.3): M = PAN length − 12, then the whole PAN (check digit included), zero-filled.
 * Encipherment: C = E(K, E(K, PIN field) ⊕ PAN field); the random half makes every block unique.
 */
import { randomBytes } from 'node:crypto';
import { isPanShaped } from '../../common/card/pan.ts';
import { aesDecryptBlock, aesEncryptBlock } from './block-cipher.ts';
import { PinBlockError } from './pin-block-error.ts';
import { xor } from './xor.ts';

const BLOCK_BYTES = 16;
const RANDOM_FILL_BYTES = 8;

/** `randomFill` is a parameter only so published examples can be reproduced; callers omit it. */
export function formatIso4PinField(pin: string, randomFill: Buffer = randomBytes(RANDOM_FILL_BYTES)): Buffer {
  // §8.1: a PIN is 4 to 12 decimal digits.
  if (!/^\d{4,12}$/.test(pin)) throw new PinBlockError('PIN must be 4 to 12 decimal digits');
  if (randomFill.length !== RANDOM_FILL_BYTES) throw new RangeError('format 4 random fill must be 8 bytes');
  const pinHalf = Buffer.from(`4${pin.length.toString(16)}${pin}`.padEnd(16, 'A'), 'hex');
  return Buffer.concat([pinHalf, randomFill]);
}

/** Recovers the PIN, rejecting anything a format-4 encoder could not have produced. */
export function parseIso4PinField(pinField: Buffer): string {
  if (pinField.length !== BLOCK_BYTES) throw new PinBlockError(`format 4 PIN field must be 16 bytes, got ${pinField.length}`);
  const nibbles = pinField.subarray(0, 8).toString('hex').toUpperCase();
  if (nibbles[0] !== '4') throw new PinBlockError('PIN block control field is not format 4');
  const length = parseInt(nibbles[1]!, 16);
  if (length < 4 || length > 12) throw new PinBlockError('PIN block declares a PIN length outside 4 to 12');
  const pin = nibbles.slice(2, 2 + length);
  if (!/^\d+$/.test(pin)) throw new PinBlockError('PIN block holds a non-decimal PIN digit');
  if (!/^A*$/.test(nibbles.slice(2 + length))) throw new PinBlockError('PIN block fill is not all A');
  return pin;
}

export function formatIso4PanField(pan: string): Buffer {
  if (!isPanShaped(pan)) throw new PinBlockError('PAN must be 12 to 19 decimal digits');
  return Buffer.from(`${pan.length - 12}${pan}`.padEnd(32, '0'), 'hex');
}

export function encipherIso4PinBlock(key: Buffer, pinField: Buffer, pan: string): Buffer {
  if (pinField.length !== BLOCK_BYTES) throw new PinBlockError(`format 4 PIN field must be 16 bytes, got ${pinField.length}`);
  const intermediate = xor(aesEncryptBlock(key, pinField), formatIso4PanField(pan));
  try {
    return aesEncryptBlock(key, intermediate);
  } finally {
    intermediate.fill(0);
  }
}

/** Returns the clear PIN field; parse it with parseIso4PinField. */
export function decipherIso4PinBlock(key: Buffer, encryptedPinBlock: Buffer, pan: string): Buffer {
  if (encryptedPinBlock.length !== BLOCK_BYTES) {
    throw new PinBlockError(`encrypted format 4 PIN block must be 16 bytes, got ${encryptedPinBlock.length}`);
  }
  const intermediate = xor(aesDecryptBlock(key, encryptedPinBlock), formatIso4PanField(pan));
  try {
    return aesDecryptBlock(key, intermediate);
  } finally {
    intermediate.fill(0);
  }
}
