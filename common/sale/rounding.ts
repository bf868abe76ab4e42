/**
 * Integer rounding for money. Amounts are whole minor units; a ratio of two amounts is rounded once,
 * half up (half a fen rounds up to the fen, as Chinese tax practice does), in BigInt so no
 * intermediate product ever leaves the exact range.
 */

/** round_half_up(numerator / denominator) for non-negative integers. */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('divideHalfUp takes a non-negative numerator and a positive denominator');
  return (2n * numerator + denominator) / (2n * denominator);
}

/** `amount × basisPoints / 10000`, rounded half up: a percentage (in basis points) of an amount. */
export function percentOf(amountMinor: number, basisPoints: number): number {
  return Number(divideHalfUp(BigInt(amountMinor) * BigInt(basisPoints), 10_000n));
}
