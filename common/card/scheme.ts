/**
 * Card scheme detection by BIN (issuer identification number). The merchant accepts a set of
 * schemes; the terminal refuses a card of any other scheme before it goes online.
 */
import { luhnValid } from './pan.ts';

export const CARD_SCHEMES = ['unionpay', 'visa', 'mastercard', 'amex', 'jcb', 'discover'] as const;
export type CardScheme = (typeof CARD_SCHEMES)[number];

interface BinRange {
  readonly scheme: CardScheme;
  readonly from: number;
  readonly to: number;
  /** How many leading digits `from`/`to` describe. */
  readonly digits: number;
  readonly lengths: readonly number[];
}

// Order matters: the first range that matches wins, so narrower ranges come before wider ones.
// UnionPay 622126–622925 is shared with Discover; at a Chinese acquirer it routes as UnionPay.
const BIN_RANGES: readonly BinRange[] = [
  { scheme: 'unionpay', from: 622126, to: 622925, digits: 6, lengths: [16, 17, 18, 19] },
  { scheme: 'discover', from: 6011, to: 6011, digits: 4, lengths: [16, 19] },
  { scheme: 'discover', from: 644, to: 649, digits: 3, lengths: [16, 19] },
  { scheme: 'discover', from: 65, to: 65, digits: 2, lengths: [16, 19] },
  { scheme: 'unionpay', from: 62, to: 62, digits: 2, lengths: [16, 17, 18, 19] },
  { scheme: 'unionpay', from: 81, to: 81, digits: 2, lengths: [16, 17, 18, 19] },
  { scheme: 'amex', from: 34, to: 34, digits: 2, lengths: [15] },
  { scheme: 'amex', from: 37, to: 37, digits: 2, lengths: [15] },
  { scheme: 'jcb', from: 3528, to: 3589, digits: 4, lengths: [16, 17, 18, 19] },
  { scheme: 'mastercard', from: 2221, to: 2720, digits: 4, lengths: [16] },
  { scheme: 'mastercard', from: 51, to: 55, digits: 2, lengths: [16] },
  { scheme: 'visa', from: 4, to: 4, digits: 1, lengths: [13, 16, 19] },
];

export function detectScheme(pan: string): CardScheme | undefined {
  if (!/^\d{12,19}$/.test(pan)) return undefined;
  for (const range of BIN_RANGES) {
    const prefix = Number(pan.slice(0, range.digits));
    if (prefix >= range.from && prefix <= range.to && range.lengths.includes(pan.length)) return range.scheme;
  }
  return undefined;
}

/**
 * Whether the PAN's check digit must hold. UnionPay issued cards whose PANs fail Luhn, and the
 * network routes them anyway, so for UnionPay the check is advisory (braintree/card-validator#112).
 */
export function checkDigitRequired(scheme: CardScheme): boolean {
  return scheme !== 'unionpay';
}

export function panCheckDigitOk(pan: string, scheme: CardScheme): boolean {
  return !checkDigitRequired(scheme) || luhnValid(pan);
}
