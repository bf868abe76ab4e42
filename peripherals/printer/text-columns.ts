/**
 * Receipt layout in character columns. A thermal printer's font A is a fixed grid where CJK
 * (full-width) characters take two cells, so string length is not width.
 */

/** East Asian Wide and Fullwidth ranges: CJK, Hangul, kana, full-width forms. */
function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf && codePoint !== 0x303f) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += isWide(char.codePointAt(0) ?? 0) ? 2 : 1;
  return width;
}

/** Breaks text into lines of at most `columns` cells, at spaces where it can, never inside a character. */
export function wrapColumns(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  let width = 0;
  for (const word of text.split(/(\s+)/).filter((part) => part !== '')) {
    const wordWidth = displayWidth(word);
    if (width + wordWidth <= columns) {
      line += word;
      width += wordWidth;
      continue;
    }
    if (line.trim() !== '') lines.push(line.trimEnd());
    line = '';
    width = 0;
    if (/^\s+$/.test(word)) continue;
    // A word longer than a line is split by characters (CJK text has no spaces to break at)
    for (const char of word) {
      const charWidth = displayWidth(char);
      if (width + charWidth > columns) {
        lines.push(line);
        line = '';
        width = 0;
      }
      line += char;
      width += charWidth;
    }
  }
  if (line.trim() !== '' || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

/** `left` and `right` on one line, right flush; on two lines when they do not fit together. */
export function spreadColumns(left: string, right: string, columns: number): string[] {
  const gap = columns - displayWidth(left) - displayWidth(right);
  if (gap >= 1) return [left + ' '.repeat(gap) + right];
  return [...wrapColumns(left, columns), ' '.repeat(Math.max(0, columns - displayWidth(right))) + right];
}
