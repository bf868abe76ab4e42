/**
 * Writes a Bitmap as a 1-bit greyscale PNG, the input node-thermal-printer's printImageBuffer
 * takes. node:zlib has both deflate and CRC-32, so no PNG library is needed (pngjs is only
 * node-thermal-printer's dependency, not ours, and has no types).
 */
import { crc32, deflateSync } from 'node:zlib';
import { rowBytes, type Bitmap } from './bitmap.ts';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(4 + typeAndData.length + 4);
  out.writeUInt32BE(data.length, 0);
  typeAndData.copy(out, 4);
  out.writeUInt32BE(crc32(typeAndData), 4 + typeAndData.length);
  return out;
}

export function encodeOneBitPng(bitmap: Bitmap): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(bitmap.widthDots, 0);
  header.writeUInt32BE(bitmap.heightDots, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter method, no interlace
  const stride = rowBytes(bitmap.widthDots);
  const scanlines = Buffer.alloc((stride + 1) * bitmap.heightDots);
  for (let y = 0; y < bitmap.heightDots; y++) {
    scanlines[y * (stride + 1)] = 0; // filter type None
    for (let i = 0; i < stride; i++) {
      // PNG greyscale 0 is black; a printer dot (1) is black
      scanlines[y * (stride + 1) + 1 + i] = ~(bitmap.bits[y * stride + i] ?? 0) & 0xff;
    }
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(scanlines)), chunk('IEND', new Uint8Array())]);
}
