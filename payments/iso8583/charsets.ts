/**
 * Which byte values each text field type accepts, as 256-entry lookup tables: one array read per
 * character keeps validation off the hot path's profile (no regular expression per character).
 */
import type { FieldType } from './field-spec.ts';

export type TextFieldType = Exclude<FieldType, 'b'>;

function table(accepts: (code: number) => boolean): Uint8Array {
  const allowed = new Uint8Array(256);
  for (let code = 0; code < 256; code++) allowed[code] = accepts(code) ? 1 : 0;
  return allowed;
}

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
const isLetter = (code: number): boolean => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);

export const CHARSETS: Readonly<Record<TextFieldType, Uint8Array>> = {
  n: table(isDigit),
  an: table((code) => isDigit(code) || isLetter(code) || code === 0x20),
  ans: table((code) => code >= 0x20 && code <= 0x7e),
  z: table((code) => isDigit(code) || code === 0x3d),
};
