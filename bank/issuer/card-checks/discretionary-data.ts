/**
 * How this issuer lays out track 2 discretionary data (the digits after the service code):
 *
 *   position 1–3  CVV (cvv.ts), computed over the PAN, expiry and service code on the same track
 *   position 4–   issuer data the host does not read (kept so existing stripes stay the same length)
 *
 * Real issuers choose their own layout (Visa's common one puts a PVKI and PVV first); this one keeps
 * the CVV where a reader of the deck file finds it at a glance. Track 2 is at most 37 characters
 * (DE35), so a 19-digit PAN leaves 10 discretionary digits and a 16-digit one 13.
 */
import { CVV_DIGITS } from './cvv.ts';

/** The CVV on the stripe, or undefined when the discretionary data is too short to hold one. */
export function cvvOnStripe(discretionary: string): string | undefined {
  return discretionary.length >= CVV_DIGITS ? discretionary.slice(0, CVV_DIGITS) : undefined;
}

/** The discretionary data with `cvv` in its place, for encoding a test card's stripe. */
export function withCvv(discretionary: string, cvv: string): string {
  if (cvv.length !== CVV_DIGITS) throw new RangeError(`a CVV is ${CVV_DIGITS} digits`);
  return cvv + discretionary.slice(CVV_DIGITS);
}
