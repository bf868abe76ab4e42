import { describe, expect, it } from 'vitest';
import { xor } from './xor.ts';

describe('xor', () => {
  it('adds modulo 2 byte by byte into a new buffer', () => {
    const a = Buffer.from('F0F0', 'hex');
    expect(xor(a, Buffer.from('0FF0', 'hex'))).toEqual(Buffer.from('FF00', 'hex'));
    expect(a).toEqual(Buffer.from('F0F0', 'hex'));
  });

  it('refuses buffers of different lengths', () => {
    expect(() => xor(Buffer.alloc(8), Buffer.alloc(16))).toThrow('cannot XOR 8 bytes with 16 bytes');
  });
});
