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
  return detectSchemeByBin(pan.slice(0, 8), pan.length);
}

/**
 * The scheme from what an encrypting reader reveals: the BIN (6 or 8 leading digits, binOf) and the
 * PAN's length. Every range above is at most 6 digits long, so the BIN says as much as the PAN.
 */
export function detectSchemeByBin(bin: string, panLength: number): CardScheme | undefined {
  if (!/^\d{6,8}$/.test(bin) || !Number.isInteger(panLength) || panLength < 12 || panLength > 19) return undefined;
  for (const range of BIN_RANGES) {
    const prefix = Number(bin.slice(0, range.digits));
    if (prefix >= range.from && prefix <= range.to && range.lengths.includes(panLength)) return range.scheme;
  }
  return undefined;
}

/**
 * The issuer BIN of a PAN: its first 8 digits where the scheme moved to 8-digit BINs (Visa and
 * Mastercard, for PANs of 16 digits or more, since April 2022), else its first 6.
 */
export function binOf(pan: string): string {
  const scheme = detectScheme(pan);
  const eightDigits = (scheme === 'visa' || scheme === 'mastercard') && pan.length >= 16;
  return pan.slice(0, eightDigits ? 8 : 6);
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
