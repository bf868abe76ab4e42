import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, FrameError } from './framing.ts';

const frameA = encodeFrame(Buffer.from('first message'));
const frameB = encodeFrame(Buffer.from('second'));

describe('encodeFrame', () => {
  it('prefixes the payload with its length, big-endian, excluding the prefix', () => {
    const frame = encodeFrame(Buffer.alloc(300, 0x41));
    expect([...frame.subarray(0, 2)]).toEqual([0x01, 0x2c]);
    expect(frame.length).toBe(302);
  });

  it('refuses empty and oversized payloads', () => {
    expect(() => encodeFrame(Buffer.alloc(0))).toThrow(RangeError);
    expect(() => encodeFrame(Buffer.alloc(0x10000))).toThrow(RangeError);
  });
});

describe('FrameDecoder', () => {
  it('returns a whole frame from one chunk', () => {
    expect(new FrameDecoder().push(frameA)).toEqual([Buffer.from('first message')]);
  });

  it('reassembles a frame split across chunks, including inside the length prefix', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(frameA.subarray(0, 1))).toEqual([]);
    expect(decoder.push(frameA.subarray(1, 5))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(5);
    expect(decoder.push(frameA.subarray(5))).toEqual([Buffer.from('first message')]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('splits coalesced frames and keeps a trailing partial one', () => {
    const decoder = new FrameDecoder();
    const stream = Buffer.concat([frameA, frameB, frameA.subarray(0, 3)]);
    expect(decoder.push(stream)).toEqual([Buffer.from('first message'), Buffer.from('second')]);
    expect(decoder.push(frameA.subarray(3))).toEqual([Buffer.from('first message')]);
  });

  it('handles a stream fed one byte at a time', () => {
    const decoder = new FrameDecoder();
    const stream = Buffer.concat([frameA, frameB]);
    const frames = [...stream].flatMap((byte) => decoder.push(Buffer.from([byte])));
    expect(frames).toEqual([Buffer.from('first message'), Buffer.from('second')]);
  });

  it('skips zero-length frames as keep-alives', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(Buffer.concat([Buffer.from([0, 0]), frameB, Buffer.from([0, 0])]))).toEqual([Buffer.from('second')]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('returns frames that do not alias the chunk they came from', () => {
    const chunk = Buffer.from(frameB);
    const [frame] = new FrameDecoder().push(chunk);
    chunk.fill(0);
    expect(frame).toEqual(Buffer.from('second'));
  });

  it('accepts a frame of exactly the limit and fails for good on a larger one', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 16 });
    expect(decoder.push(encodeFrame(Buffer.alloc(16, 1)))).toHaveLength(1);
    expect(() => decoder.push(encodeFrame(Buffer.alloc(17, 1)))).toThrow(FrameError);
    expect(() => decoder.push(frameB)).toThrow(FrameError);
  });

  it('defaults the limit to 8 KiB', () => {
    const decoder = new FrameDecoder();
    expect(decoder.maxFrameBytes).toBe(8192);
    expect(() => decoder.push(Buffer.from([0x20, 0x01]))).toThrow(/8193 bytes exceeds the 8192-byte limit/);
  });
});
