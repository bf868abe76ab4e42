/**
 * VAT on VAT-inclusive prices, as Chinese retail prices are. A line's VAT is the part of its amount
 * that is tax:
 *
 *     VAT = amount × rate / (1 + rate), rounded half up to the fen
 *
 * With the rate in basis points (1300 = 13 %) that is, in integers only,
 *
 *     VAT = round_half_up(amount × bp / (10000 + bp))
 *
 * It is computed per line, on the line's amount after every discount (its own and its share of a
 * whole-sale discount), and the receipt's VAT per rate is the sum of its lines' VAT at that rate.
 * docs/sales.md works examples.
 */
import type { VatRateBp } from '../catalog.ts';
import { divideHalfUp } from './rounding.ts';

export function vatOfInclusive(amountMinor: number, rateBp: VatRateBp | number): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) throw new RangeError(`VAT needs a whole non-negative amount, got ${amountMinor}`);
  if (rateBp === 0) return 0;
  return Number(divideHalfUp(BigInt(amountMinor) * BigInt(rateBp), 10_000n + BigInt(rateBp)));
}
