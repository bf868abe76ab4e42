/**
 * The station's receipt logo: "POS" in a frame, drawn from a 5×7 pixel font at 3× so it needs no
 * image file at run time. 96×40 dots, a byte-aligned width as GS v 0 wants.
 */
import { rowBytes, type Bitmap } from './bitmap.ts';

const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  P: ['####.', '#...#', '#...#', '####.', '#....', '#....', '#....'],
  O: ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  S: ['.####', '#....', '#....', '.###.', '....#', '....#', '####.'],
};

const WIDTH = 96;
const HEIGHT = 40;
const SCALE = 3;
const FRAME = 2;

export function stationLogo(): Bitmap {
  const bits = new Uint8Array(rowBytes(WIDTH) * HEIGHT);
  const set = (x: number, y: number): void => {
    const index = y * rowBytes(WIDTH) + (x >> 3);
    bits[index] = (bits[index] ?? 0) | (0x80 >> (x & 7));
  };
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) if (x < FRAME || y < FRAME || x >= WIDTH - FRAME || y >= HEIGHT - FRAME) set(x, y);
  }
  const text = 'POS';
  const glyphWidth = 6 * SCALE; // 5 columns and a gap
  const left = Math.floor((WIDTH - (text.length * glyphWidth - SCALE)) / 2);
  const top = Math.floor((HEIGHT - 7 * SCALE) / 2);
  [...text].forEach((letter, index) => {
    (GLYPHS[letter] ?? []).forEach((row, gy) => {
      [...row].forEach((pixel, gx) => {
        if (pixel !== '#') return;
        for (let dy = 0; dy < SCALE; dy++) {
          for (let dx = 0; dx < SCALE; dx++) set(left + index * glyphWidth + gx * SCALE + dx, top + gy * SCALE + dy);
        }
      });
    });
  });
  return { widthDots: WIDTH, heightDots: HEIGHT, bits };
}
