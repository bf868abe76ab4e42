/**
 * Where GB18030 characters end in a byte stream, so text arriving in USB packets is never split
 * inside a character. Trail bytes are all ≥ 0x30, so a control byte always starts a command.
 */
import { INCOMPLETE } from './escpos-framing.ts';

function isLead(byte: number): boolean {
  return byte >= 0x81 && byte <= 0xfe;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

/**
 * Length of the character starting at `pos` (a byte ≥ 0x80): 2 or 4 for a valid sequence, 1 for
 * an invalid lead byte (decoded as U+FFFD), INCOMPLETE when the buffer ends inside it.
 */
export function gb18030CharLength(buf: Uint8Array, pos: number): number | typeof INCOMPLETE {
  if (!isLead(buf[pos] ?? 0)) return 1;
  const second = buf[pos + 1];
  if (second === undefined) return INCOMPLETE;
  if (isDigit(second)) {
    if (pos + 4 > buf.length) return INCOMPLETE;
    return isLead(buf[pos + 2] ?? 0) && isDigit(buf[pos + 3] ?? 0) ? 4 : 1;
  }
  return (second >= 0x40 && second <= 0x7e) || (second >= 0x80 && second <= 0xfe) ? 2 : 1;
}
