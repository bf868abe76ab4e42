/**
 * The card number check that comes before looking a card up (DE39 14 when it fails): the PAN must
 * belong to a scheme this host knows by its BIN (UnionPay, Visa, Mastercard including the 2-series,
 * Amex, JCB, Discover) and pass the Luhn check where that scheme requires it. UnionPay routes PANs
 * that fail Luhn (the network issued some), so for UnionPay the check digit is not enforced.
 */
import { detectScheme, panCheckDigitOk } from '../../../common/card/scheme.ts';

export function cardNumberAcceptable(pan: string): boolean {
  const scheme = detectScheme(pan);
  return scheme !== undefined && panCheckDigitOk(pan, scheme);
}
