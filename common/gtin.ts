/**
 * GTINs as barcodes carry them (GS1 General Specifications §7.9): the mod-10 check digit, one form
 * for every length (GTIN-14, zero-padded, so a UPC-A and the EAN-13 a scanner sends for it are the
 * same item), and the in-store price-embedded EAN-13 that counter scales print.
 */

/** GS1 check digit of `body` (every digit but the check): weights 3,1,3,… from the right. */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let index = 0; index < body.length; index++) {
    const digit = body.charCodeAt(body.length - 1 - index) - 48;
    sum += digit * (index % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** GTIN-8, -12, -13 or -14 with a right check digit. */
export function isValidGtin(code: string): boolean {
  return /^(\d{8}|\d{12,14})$/.test(code) && gtinCheckDigit(code.slice(0, -1)) === Number(code.at(-1));
}

/** The GTIN-14 form of a valid GTIN, the key the catalog indexes by. */
export function toGtin14(code: string): string {
  return code.padStart(14, '0');
}

/** The GTIN with its check digit appended. */
export function withCheckDigit(body: string): string {
  return `${body}${gtinCheckDigit(body)}`;
}

/**
 * A price-embedded EAN-13 as Chinese counter scales print it, in the GS1 restricted-circulation
 * range (first digit 2): "2F IIIII PPPPP C" — a flag digit, a 5-digit item code, the price in fen
 * (5 digits, up to 999.99), the check digit. The catalog item is found by its template: the same
 * code with the price digits zero and the check digit recomputed ("2F IIIII 00000 C").
 */
export function parsePriceEmbedded(code: string): { readonly template: string; readonly priceMinor: number } | undefined {
  if (!/^2\d{12}$/.test(code) || !isValidGtin(code)) return undefined;
  return { template: withCheckDigit(`${code.slice(0, 7)}00000`), priceMinor: Number(code.slice(7, 12)) };
}
