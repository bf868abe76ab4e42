/**
 * 1-bit bitmaps as the receipt model stores them: rows packed most significant bit first, each
 * row padded to whole bytes, 1 = black dot. ESC/POS sends images in two layouts (GS v 0 rows,
 * ESC * columns) and with scale factors; everything is normalised to this one.
 */

export interface Bitmap {
  readonly widthDots: number;
  readonly heightDots: number;
  readonly bits: Uint8Array;
}

export function rowBytes(widthDots: number): number {
  return Math.ceil(widthDots / 8);
}

function getDot(bitmap: Bitmap, x: number, y: number): boolean {
  const byte = bitmap.bits[y * rowBytes(bitmap.widthDots) + (x >> 3)] ?? 0;
  return (byte & (0x80 >> (x & 7))) !== 0;
}

function blank(widthDots: number, heightDots: number): Bitmap {
  return { widthDots, heightDots, bits: new Uint8Array(rowBytes(widthDots) * heightDots) };
}

function setDot(bitmap: Bitmap, x: number, y: number): void {
  const index = y * rowBytes(bitmap.widthDots) + (x >> 3);
  bitmap.bits[index] = (bitmap.bits[index] ?? 0) | (0x80 >> (x & 7));
}

/** Stretches dots by whole factors, as GS v 0's double-width/height modes print them. */
export function scaleBitmap(source: Bitmap, xFactor: number, yFactor: number): Bitmap {
  if (xFactor === 1 && yFactor === 1) return source;
  const scaled = blank(source.widthDots * xFactor, source.heightDots * yFactor);
  for (let y = 0; y < scaled.heightDots; y++) {
    for (let x = 0; x < scaled.widthDots; x++) {
      if (getDot(source, Math.floor(x / xFactor), Math.floor(y / yFactor))) setDot(scaled, x, y);
    }
  }
  return scaled;
}

/**
 * ESC * sends a band of columns, each 8 or 24 dots tall as 1 or 3 bytes, top dot in the most
 * significant bit. Transposed into rows, one column per dot.
 */
export function columnBandBitmap(data: Uint8Array, columns: number, bytesPerColumn: number): Bitmap {
  const band = blank(columns, bytesPerColumn * 8);
  for (let x = 0; x < columns; x++) {
    for (let y = 0; y < band.heightDots; y++) {
      const byte = data[x * bytesPerColumn + (y >> 3)] ?? 0;
      if (byte & (0x80 >> (y & 7))) setDot(band, x, y);
    }
  }
  return band;
}

/** Puts `bottom` under `top`; column images arrive as consecutive bands of the same width. */
export function stackBitmaps(top: Bitmap, bottom: Bitmap): Bitmap {
  const bits = new Uint8Array(top.bits.length + bottom.bits.length);
  bits.set(top.bits);
  bits.set(bottom.bits, top.bits.length);
  return { widthDots: top.widthDots, heightDots: top.heightDots + bottom.heightDots, bits };
}
