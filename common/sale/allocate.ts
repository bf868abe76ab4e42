/**
 * Splits an amount across parts in proportion to their weights, to the fen, by largest remainder
 * (Hamilton's method): each part first gets the floor of its exact share, then the fen left over go
 * one each to the parts with the largest remainders, ties to the earlier part. The shares always add
 * up to the amount exactly, and no share is more than a fen from its exact value.
 *
 * Used for a whole-sale discount across the lines (weights: the lines' amounts after their own
 * discounts) and for the VAT share of a refund across a sale's VAT rates.
 */
export function allocateLargestRemainder(amountMinor: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) throw new RangeError(`cannot split ${amountMinor}`);
  const total = weights.reduce((sum, weight) => sum + BigInt(weight), 0n);
  if (weights.some((weight) => !Number.isSafeInteger(weight) || weight < 0)) throw new RangeError('weights must be whole and non-negative');
  if (total === 0n) {
    if (amountMinor === 0) return weights.map(() => 0);
    throw new RangeError(`cannot split ${amountMinor} across parts that weigh nothing`);
  }
  const amount = BigInt(amountMinor);
  const shares = weights.map((weight) => (amount * BigInt(weight)) / total);
  const remainders = weights.map((weight, index) => ({ index, remainder: (amount * BigInt(weight)) % total }));
  let left = amount - shares.reduce((sum, share) => sum + share, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return shares.map(Number);
}
