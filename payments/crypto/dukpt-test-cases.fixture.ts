/**
 * Test support: deterministic pseudo-random inputs for cross-checks against other DUKPT
 * implementations, so a failing case can be replayed from its label.
 */
import { createHash } from 'node:crypto';
import { countOneBits } from './dukpt-counter.ts';
import { setKsnCounter } from './ksn.ts';

/** `length` bytes drawn from SHA-256 of the label. */
export function pseudoRandomBytes(label: string, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let offset = 0, round = 0; offset < length; round++) offset += createHash('sha256').update(`${label}/${round}`).digest().copy(out, offset);
  return out;
}

/** A TDES KSN a device could send: a random initial KSN and a counter of at most 10 one-bits, not 0. */
export function pseudoRandomTdesKsn(i: number): Buffer {
  const initialKsn = Buffer.from(pseudoRandomBytes(`ksn ${i}`, 10));
  initialKsn[7]! &= 0xe0;
  initialKsn.fill(0, 8);
  let counter = pseudoRandomBytes(`counter ${i}`, 3).readUIntBE(0, 3) & 0x1f_ffff;
  while (countOneBits(counter) > 10) counter &= counter - 1;
  return setKsnCounter(initialKsn, counter || 1);
}
