/**
 * Money is always an integer count of the currency's minor unit (fen for CNY) with the
 * currency stated next to it. Floats never carry an amount: 0.1 + 0.2 is not 0.3.
 */

/** ISO 4217 currencies the station knows: alpha code → numeric code (DE49) and minor digits. */
export const CURRENCIES = {
  CNY: { numeric: '156', minorDigits: 2 },
  HKD: { numeric: '344', minorDigits: 2 },
  USD: { numeric: '840', minorDigits: 2 },
  EUR: { numeric: '978', minorDigits: 2 },
  JPY: { numeric: '392', minorDigits: 0 },
} as const;

export type CurrencyCode = keyof typeof CURRENCIES;

export interface Money {
  readonly amountMinor: number;
  readonly currency: CurrencyCode;
}

/** Largest amount ISO 8583 DE4 (n12) can carry. */
export const MAX_AMOUNT_MINOR = 999_999_999_999;

export function isCurrencyCode(code: string): code is CurrencyCode {
  return Object.hasOwn(CURRENCIES, code);
}

export function money(amountMinor: number, currency: CurrencyCode): Money {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0 || amountMinor > MAX_AMOUNT_MINOR) {
    throw new RangeError(`amount must be a whole number of minor units between 0 and ${MAX_AMOUNT_MINOR}, got ${amountMinor}`);
  }
  return { amountMinor, currency };
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new TypeError(`cannot add ${a.currency} to ${b.currency}`);
  return money(a.amountMinor + b.amountMinor, a.currency);
}

export function multiplyMoney(unit: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity) || quantity < 0) throw new RangeError(`quantity must be a whole number, got ${quantity}`);
  return money(unit.amountMinor * quantity, unit.currency);
}

export function sumMoney(items: readonly Money[], currency: CurrencyCode): Money {
  return items.reduce(addMoney, money(0, currency));
}

export function currencyByNumeric(numeric: string): CurrencyCode | undefined {
  return (Object.keys(CURRENCIES) as CurrencyCode[]).find((code) => CURRENCIES[code].numeric === numeric);
}

/** Formats for display only; the locale picks separators, the currency is always the one stated. */
export function formatMoney(value: Money, locale: string): string {
  const { minorDigits } = CURRENCIES[value.currency];
  const major = value.amountMinor / 10 ** minorDigits; // display only: never fed back into arithmetic
  return moneyFormat(locale, value.currency).format(major);
}

/** Building an Intl.NumberFormat costs far more than using one (a screen of prices repaints per keystroke): one per locale and currency. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(locale: string, currency: CurrencyCode): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    const { minorDigits } = CURRENCIES[currency];
    format = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: minorDigits, maximumFractionDigits: minorDigits });
    moneyFormats.set(key, format);
  }
  return format;
}

/**
 * What a cashier typed in major units ("12.5", "12.50", "12") → minor units (1250), by string
 * arithmetic: no float ever holds the amount. Undefined for anything else: a sign, more decimals
 * than the currency has, letters, an empty field, more than DE4 can carry.
 */
export function parseMinorPlain(text: string, currency: CurrencyCode): number | undefined {
  const { minorDigits } = CURRENCIES[currency];
  const match = /^(\d{1,12})(?:\.(\d*))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > minorDigits) return undefined;
  const minor = Number(`${whole}${fraction.padEnd(minorDigits, '0')}`);
  return Number.isSafeInteger(minor) && minor <= MAX_AMOUNT_MINOR ? minor : undefined;
}

/** "1234" fen → "12.34", exact string arithmetic, for receipts and logs. */
export function formatMinorPlain(value: Money): string {
  const { minorDigits } = CURRENCIES[value.currency];
  if (minorDigits === 0) return String(value.amountMinor);
  const digits = String(value.amountMinor).padStart(minorDigits + 1, '0');
  return `${digits.slice(0, -minorDigits)}.${digits.slice(-minorDigits)}`;
}
