/** Byte-wise exclusive-OR of two equal-length buffers: the "modulo-2 addition" of ISO 9564 and X9.24. */
export function xor(a: Buffer, b: Buffer): Buffer {
  if (a.length !== b.length) throw new RangeError(`cannot XOR ${a.length} bytes with ${b.length} bytes`);
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}
