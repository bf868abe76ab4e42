/**
 * PIN pad link framing (docs/pinpad-protocol.md):
 *   STX(0x02) | LEN (2 bytes, big-endian, payload length) | PAYLOAD | ETX(0x03) | LRC
 * LRC is the XOR of every byte from LEN through ETX. A receiver answers a good frame with ACK (0x06)
 * and a damaged one with NAK (0x15); bytes outside a frame are skipped until the next STX.
 */
export const STX = 0x02;
export const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;
export const MAX_PAYLOAD = 1024;

export type LinkUnit = { readonly kind: 'frame'; readonly payload: Uint8Array } | { readonly kind: 'ack' } | { readonly kind: 'nak' } | { readonly kind: 'corrupt' };

function lrcOf(bytes: Uint8Array): number {
  let lrc = 0;
  for (const byte of bytes) lrc ^= byte;
  return lrc;
}

export function encodeFrame(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_PAYLOAD) throw new RangeError(`PIN pad payload of ${payload.length} bytes exceeds ${MAX_PAYLOAD}`);
  const frame = new Uint8Array(payload.length + 5);
  frame[0] = STX;
  frame[1] = payload.length >> 8;
  frame[2] = payload.length & 0xff;
  frame.set(payload, 3);
  frame[payload.length + 3] = ETX;
  frame[payload.length + 4] = lrcOf(frame.subarray(1, payload.length + 4));
  return frame;
}

/** Turns a byte stream (split or coalesced arbitrarily by USB transfers) into link units. */
export class LinkDecoder {
  #buffer = new Uint8Array(0);

  push(chunk: Uint8Array): LinkUnit[] {
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    const units: LinkUnit[] = [];
    let offset = 0;
    while (offset < joined.length) {
      const byte = joined[offset] as number;
      if (byte === ACK || byte === NAK) {
        units.push({ kind: byte === ACK ? 'ack' : 'nak' });
        offset += 1;
        continue;
      }
      if (byte !== STX) {
        offset += 1; // line noise between frames
        continue;
      }
      if (joined.length - offset < 3) break;
      const length = ((joined[offset + 1] as number) << 8) | (joined[offset + 2] as number);
      if (length > MAX_PAYLOAD) {
        units.push({ kind: 'corrupt' });
        offset += 1;
        continue;
      }
      const end = offset + length + 5;
      if (joined.length < end) break;
      const frame = joined.subarray(offset, end);
      const intact = frame[length + 3] === ETX && frame[length + 4] === lrcOf(frame.subarray(1, length + 4));
      units.push(intact ? { kind: 'frame', payload: frame.slice(3, length + 3) } : { kind: 'corrupt' });
      offset = intact ? end : offset + 1;
    }
    this.#buffer = joined.slice(offset);
    return units;
  }
}
