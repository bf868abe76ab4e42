/**
 * Text to printer bytes. Chinese needs the printer in double-byte mode: FS & before GB18030 bytes
 * and FS . after, so the single-byte code page is back for what follows. node-thermal-printer's
 * CHINA character set does neither, which is why the builder writes text through here.
 */
import iconv from 'iconv-lite';

/** What the printer's resident font can print beyond ASCII. */
export type CjkSupport = 'gb18030' | 'none';

const ENTER_DOUBLE_BYTE = Uint8Array.of(0x1c, 0x26); // FS &
const LEAVE_DOUBLE_BYTE = Uint8Array.of(0x1c, 0x2e); // FS .

/** Control characters in data (a product name, a merchant name) would be printer commands: neutralised. */
function withoutControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** For printers without a CJK font: accents dropped (è → e), full-width forms narrowed, the rest shown as "?". */
export function toPrintableAscii(text: string): string {
  return withoutControls(text)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\u0020-\u007e]/g, '?');
}

export function encodePrinterText(text: string, cjk: CjkSupport): Uint8Array {
  const clean = withoutControls(text);
  if (/^[\u0020-\u007e]*$/.test(clean)) return Buffer.from(clean, 'ascii');
  if (cjk === 'none') return Buffer.from(toPrintableAscii(clean), 'ascii');
  return Buffer.concat([ENTER_DOUBLE_BYTE, iconv.encode(clean, 'gb18030'), LEAVE_DOUBLE_BYTE]);
}
