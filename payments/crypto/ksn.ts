/**
 * TDES DUKPT key serial numbers (ANSI X9.24-1:2009 A.1, Key Serial Number Register): 80 bits, the leftmost 59 identify the
 * initial key (key set ID + device ID) and the rightmost 21 are the transaction counter.
 * Helpers return new buffers and never mutate their input.
 */
import { countOneBits, nextDukptCounter } from './dukpt-counter.ts';
import { KsnError } from './ksn-error.ts';

const KSN_BYTES = 10;
const MAX_COUNTER = 0x1f_ffff;
const COUNTER_LIMITS = { maxCounter: MAX_COUNTER, maxOneBits: 10 };

export function ksnFromHex(hex: string): Buffer {
  if (!/^[0-9A-Fa-f]{20}$/.test(hex)) throw new KsnError('TDES KSN must be 20 hexadecimal digits');
  const ksn = Buffer.from(hex, 'hex');
  assertTdesKsn(ksn);
  return ksn;
}

/** 10 bytes, and a counter a conforming device could have reached: at most 10 one-bits (X9.24-1:2009 A.3). */
export function assertTdesKsn(ksn: Buffer): void {
  if (ksn.length !== KSN_BYTES) throw new KsnError(`TDES KSN must be ${KSN_BYTES} bytes, got ${ksn.length}`);
  if (countOneBits(getKsnCounter(ksn)) > COUNTER_LIMITS.maxOneBits) {
    throw new KsnError('TDES KSN counter has more than 10 one-bits; no device uses such a counter');
  }
}

export function getKsnCounter(ksn: Buffer): number {
  if (ksn.length !== KSN_BYTES) throw new KsnError(`TDES KSN must be ${KSN_BYTES} bytes, got ${ksn.length}`);
  return ((ksn[7]! & 0x1f) << 16) | (ksn[8]! << 8) | ksn[9]!;
}

export function setKsnCounter(ksn: Buffer, counter: number): Buffer {
  if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
    throw new KsnError('TDES KSN counter must be an integer from 0 to 0x1FFFFF');
  }
  assertTdesKsn(ksn);
  const next = Buffer.from(ksn);
  next[7] = (ksn[7]! & 0xe0) | (counter >>> 16);
  next[8] = (counter >>> 8) & 0xff;
  next[9] = counter & 0xff;
  assertTdesKsn(next);
  return next;
}

/** The KSN of the device's next transaction; throws once all 1,048,575 usable counters are spent. */
export function nextKsn(ksn: Buffer): Buffer {
  assertTdesKsn(ksn);
  const counter = nextDukptCounter(getKsnCounter(ksn), COUNTER_LIMITS);
  if (counter === undefined) throw new KsnError('TDES KSN counter is exhausted; the device needs a new initial key');
  return setKsnCounter(ksn, counter);
}
