/**
 * DUKPT transaction counters: a device only uses counter values with few enough one-bits, so the
 * host's key walk (one derivation per set bit) stays short. ANSI X9.24-1:2009 A.3 caps TDES counters
 * at 10 one-bits out of 21; ANSI X9.24-3:2017 §6.1 caps AES counters at 16 out of 32.
 */

export function countOneBits(value: number): number {
  let bits = 0;
  // `>>> 0` keeps the arithmetic unsigned for 32-bit AES counters above 2^31.
  for (let rest = value >>> 0; rest !== 0; rest = (rest & (rest - 1)) >>> 0) bits++;
  return bits;
}

/**
 * The next counter a device may use after `counter`, or undefined once the counter space is spent.
 * When a value has too many one-bits, adding its lowest set bit skips every value in between at once:
 * they all keep the same high bits, so they all carry too many one-bits as well.
 */
export function nextDukptCounter(counter: number, limits: { maxCounter: number; maxOneBits: number }): number | undefined {
  let next = counter + 1;
  while (next <= limits.maxCounter && countOneBits(next) > limits.maxOneBits) {
    next += (next & -next) >>> 0;
  }
  return next <= limits.maxCounter ? next : undefined;
}
