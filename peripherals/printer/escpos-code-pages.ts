/**
 * Single-byte character tables selected with ESC t n. The numbers are Epson's; most Chinese and
 * Star-emulating ESC/POS printers follow them for the common pages. Bytes below 0x80 are ASCII in
 * every table here (ESC R international variants are not modelled).
 */
import iconv from 'iconv-lite';

/** ESC t n → iconv-lite encoding name, for the pages iconv-lite can decode exactly. */
const CODE_PAGES: ReadonlyMap<number, string> = new Map([
  [0, 'cp437'],
  [2, 'cp850'],
  [3, 'cp860'],
  [4, 'cp863'],
  [5, 'cp865'],
  [13, 'cp857'],
  [14, 'cp737'],
  [15, 'iso-8859-7'],
  [16, 'cp1252'],
  [17, 'cp866'],
  [18, 'cp852'],
  [19, 'cp858'],
  [32, 'cp720'],
  [33, 'cp775'],
  [34, 'cp855'],
  [35, 'cp861'],
  [36, 'cp862'],
  [37, 'cp864'],
  [38, 'cp869'],
  [39, 'iso-8859-2'],
  [40, 'iso-8859-15'],
  [44, 'cp1125'],
  [45, 'cp1250'],
  [46, 'cp1251'],
  [47, 'cp1253'],
  [48, 'cp1254'],
  [49, 'cp1255'],
  [50, 'cp1256'],
  [51, 'cp1257'],
  [52, 'cp1258'],
  [53, 'rk1048'],
]);

/**
 * Printers place the euro sign where IBM's later revisions of these pages put it; iconv-lite's
 * tables predate that, so they would turn a printed "€" into U+FFFD.
 */
const EURO_PATCHES: ReadonlyMap<number, number> = new Map([[13, 0xd5]]);

export function isKnownCodePage(page: number): boolean {
  return CODE_PAGES.has(page);
}

/** Decodes a run of single-byte text; bytes of an unknown page above 0x7F become U+FFFD, visibly. */
export function decodeSingleByteText(bytes: Uint8Array, page: number): string {
  const encoding = CODE_PAGES.get(page);
  let text = '';
  for (const byte of bytes) {
    if (byte < 0x80) text += String.fromCharCode(byte);
    else if (EURO_PATCHES.get(page) === byte) text += '€';
    else text += encoding === undefined ? '\uFFFD' : iconv.decode(Uint8Array.of(byte), encoding);
  }
  return text;
}
