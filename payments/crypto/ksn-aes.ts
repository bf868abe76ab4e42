/**
 * AES DUKPT key serial numbers (ANSI X9.24-3:2017 §6): 96 bits, a 64-bit initial key ID
 * (32-bit BDK ID + 32-bit derivation ID) followed by a 32-bit big-endian transaction counter.
 * Helpers return new buffers and never mutate their input.
 */
import { countOneBits, nextDukptCounter } from './dukpt-counter.ts';
import { KsnError } from './ksn-error.ts';

const KSN_BYTES = 12;
const INITIAL_KEY_ID_BYTES = 8;
// §6.1: a device uses only counters with at most 16 one-bits.
const COUNTER_LIMITS = { maxCounter: 0xffff_ffff, maxOneBits: 16 };

export function aesKsnFromHex(hex: string): Buffer {
  if (!/^[0-9A-Fa-f]{24}$/.test(hex)) throw new KsnError('AES KSN must be 24 hexadecimal digits');
  const ksn = Buffer.from(hex, 'hex');
  assertAesKsn(ksn);
  return ksn;
}

export function assertAesKsn(ksn: Buffer): void {
  if (ksn.length !== KSN_BYTES) throw new KsnError(`AES KSN must be ${KSN_BYTES} bytes, got ${ksn.length}`);
  if (countOneBits(getAesKsnCounter(ksn)) > COUNTER_LIMITS.maxOneBits) {
    throw new KsnError('AES KSN counter has more than 16 one-bits; no device uses such a counter');
  }
}

export function getAesKsnCounter(ksn: Buffer): number {
  if (ksn.length !== KSN_BYTES) throw new KsnError(`AES KSN must be ${KSN_BYTES} bytes, got ${ksn.length}`);
  return ksn.readUInt32BE(INITIAL_KEY_ID_BYTES);
}

export function initialKeyIdOf(ksn: Buffer): Buffer {
  assertAesKsn(ksn);
  return Buffer.from(ksn.subarray(0, INITIAL_KEY_ID_BYTES));
}

/** The KSN of the device's next transaction; throws once the last usable counter (0xFFFF0000) is spent. */
export function nextAesKsn(ksn: Buffer): Buffer {
  assertAesKsn(ksn);
  const counter = nextDukptCounter(getAesKsnCounter(ksn), COUNTER_LIMITS);
  if (counter === undefined) throw new KsnError('AES KSN counter is exhausted; the device needs a new initial key');
  const next = Buffer.from(ksn);
  next.writeUInt32BE(counter, INITIAL_KEY_ID_BYTES);
  return next;
}
