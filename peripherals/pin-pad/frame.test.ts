import { describe, expect, it } from 'vitest';
import { ACK, encodeFrame, ETX, LinkDecoder, MAX_PAYLOAD, NAK, STX } from './frame.ts';

const payload = new TextEncoder().encode('P0\x1c6212345678901232');

describe('PIN pad framing', () => {
  it('frames STX, length, payload, ETX and the LRC over length..ETX', () => {
    const frame = encodeFrame(Uint8Array.of(0x41, 0x42));
    expect([...frame]).toEqual([STX, 0x00, 0x02, 0x41, 0x42, ETX, 0x00 ^ 0x02 ^ 0x41 ^ 0x42 ^ ETX]);
  });

  it('decodes frames split and coalesced arbitrarily, with ACK/NAK between them', () => {
    const stream = new Uint8Array([...encodeFrame(payload), ACK, ...encodeFrame(Uint8Array.of(1, 2, 3)), NAK]);
    for (const cut of [1, 2, 7, stream.length - 1]) {
      const decoder = new LinkDecoder();
      const units = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(units.map((unit) => unit.kind)).toEqual(['frame', 'ack', 'frame', 'nak']);
      expect(units[0]).toEqual({ kind: 'frame', payload });
    }
  });

  it('reports a frame with a bad LRC as corrupt and resynchronises on the next STX', () => {
    const bad = encodeFrame(payload);
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0xff;
    const units = new LinkDecoder().push(new Uint8Array([0x55, ...bad, ...encodeFrame(Uint8Array.of(9))]));
    expect(units.map((unit) => unit.kind)).toEqual(['corrupt', 'frame']);
  });

  it('refuses a length beyond the limit instead of waiting for bytes that never come', () => {
    const units = new LinkDecoder().push(Uint8Array.of(STX, 0xff, 0xff, 0x00));
    expect(units[0]?.kind).toBe('corrupt');
    expect(() => encodeFrame(new Uint8Array(MAX_PAYLOAD + 1))).toThrow(RangeError);
  });
});
