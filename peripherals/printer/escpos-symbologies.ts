/** Barcode and 2D symbol identification for GS k and GS ( k, and the human-readable data they carry. */

/** GS k m: function A (m 0–6, NUL-terminated) and function B (m 65–79, length-prefixed). */
const BARCODE_SYMBOLOGIES: ReadonlyMap<number, string> = new Map([
  [0, 'UPC-A'],
  [1, 'UPC-E'],
  [2, 'EAN13'],
  [3, 'EAN8'],
  [4, 'CODE39'],
  [5, 'ITF'],
  [6, 'CODABAR'],
  [65, 'UPC-A'],
  [66, 'UPC-E'],
  [67, 'EAN13'],
  [68, 'EAN8'],
  [69, 'CODE39'],
  [70, 'ITF'],
  [71, 'CODABAR'],
  [72, 'CODE93'],
  [73, 'CODE128'],
  [74, 'GS1-128'],
  [75, 'GS1-DATABAR-OMNI'],
  [76, 'GS1-DATABAR-TRUNCATED'],
  [77, 'GS1-DATABAR-LIMITED'],
  [78, 'GS1-DATABAR-EXPANDED'],
  [79, 'CODE128-AUTO'],
]);

/** GS ( k cn: the symbols whose data is stored with fn 80 and printed with fn 81. */
const TWO_D_SYMBOLOGIES: ReadonlyMap<number, string> = new Map([
  [48, 'PDF417'],
  [49, 'QR'],
  [50, 'MAXICODE'],
  [53, 'AZTEC'],
  [54, 'DATAMATRIX'],
]);

export function barcodeSymbology(mode: number): string | undefined {
  return BARCODE_SYMBOLOGIES.get(mode);
}

export function twoDimensionalSymbology(cn: number): string | undefined {
  return TWO_D_SYMBOLOGIES.get(cn);
}

/**
 * ESC/POS CODE128 data starts with a code set selector ("{A", "{B", "{C") and may switch sets
 * or insert FNC codes with further "{x" pairs; in code set C each byte is a pair of digits. What
 * the barcode encodes, and what a person reads under it, is the data without those selectors.
 */
function code128Text(data: Uint8Array): string {
  let text = '';
  let codeSetC = false;
  for (let i = 0; i < data.length; i++) {
    const byte = data[i] ?? 0;
    if (byte === 0x7b && i + 1 < data.length) {
      const selector = String.fromCharCode(data[++i] ?? 0);
      if (selector === '{') text += '{';
      else if (selector === 'C') codeSetC = true;
      else if (selector === 'A' || selector === 'B') codeSetC = false;
      // "{S" (shift) and "{1"–"{4" (FNC) carry no printable character
      continue;
    }
    text += codeSetC ? String(byte).padStart(2, '0') : String.fromCharCode(byte);
  }
  return text;
}

/** The human-readable data of a GS k barcode. */
export function barcodeText(symbology: string, data: Uint8Array): string {
  return symbology === 'CODE128' ? code128Text(data) : String.fromCharCode(...data);
}

/** 2D payloads are bytes; receipts put UTF-8 in them (URLs, references), anything else reads as Latin-1. */
export function symbolPayloadText(data: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return String.fromCharCode(...data);
  }
}
