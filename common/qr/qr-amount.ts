/**
 * Tag 54 carries the amount as a decimal string in major units ("12.50"), never minor units. These
 * convert exactly between that string and Money, by string arithmetic (no floats).
 */
import { CURRENCIES, money, type CurrencyCode, type Money } from '../money.ts';
import { QrPayloadError } from './qr-payload-error.ts';

/** 1250 fen → "12.50"; JPY 500 → "500". At most 13 characters, as tag 54 allows. */
export function qrAmount(value: Money): string {
  const { minorDigits } = CURRENCIES[value.currency];
  const digits = String(value.amountMinor).padStart(minorDigits + 1, '0');
  const text = minorDigits === 0 ? digits : `${digits.slice(0, -minorDigits)}.${digits.slice(-minorDigits)}`;
  if (text.length > 13) throw new RangeError(`amount ${text} is longer than the 13 characters tag 54 allows`);
  return text;
}

/** "12.50" or "12.5" or "12" in CNY → 1250 fen. Refuses more decimals than the currency has. */
export function parseQrAmount(text: string, currency: CurrencyCode): Money {
  const { minorDigits } = CURRENCIES[currency];
  const match = /^(\d{1,13})(?:\.(\d*))?$/.exec(text);
  if (match === null || text.length > 13) throw new QrPayloadError('bad_field', `tag 54 (amount) must be digits with an optional decimal point, up to 13 characters, got "${text}"`);
  const fraction = match[2] ?? '';
  if (fraction.length > minorDigits) throw new QrPayloadError('bad_field', `tag 54 (amount) "${text}" has more decimals than ${currency}'s ${minorDigits}`);
  const amountMinor = Number(match[1]!) * 10 ** minorDigits + Number(fraction.padEnd(minorDigits, '0') || '0');
  if (amountMinor === 0) throw new QrPayloadError('bad_field', 'tag 54 (amount) must not be zero');
  return money(amountMinor, currency);
}
