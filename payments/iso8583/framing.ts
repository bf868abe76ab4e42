/**
 * TCP framing: each message is preceded by a 2-byte big-endian length that excludes the prefix
 * itself (the common "2-byte binary header" of ISO 8583 links, jPOS NACChannel without TPDU).
 *
 * A zero-length frame carries no message. Like jPOS channels, the decoder treats it as a keep-alive
 * and skips it rather than failing the link. A length above the limit means the stream can no
 * longer be trusted to be in step, so the decoder fails for good and the connection must close.
 */

export const DEFAULT_MAX_FRAME_BYTES = 8 * 1024;
const PREFIX_BYTES = 2;
const MAX_ENCODABLE = 0xffff;

/** The length prefix announced a frame larger than allowed; the byte stream is out of step. */
export class FrameError extends Error {
  override name = 'FrameError';
}

export function encodeFrame(payload: Uint8Array): Buffer {
  if (payload.byteLength === 0) throw new RangeError('refusing to frame an empty payload (it would read as a keep-alive)');
  if (payload.byteLength > MAX_ENCODABLE) throw new RangeError(`payload of ${payload.byteLength} bytes does not fit a 2-byte length prefix`);
  const frame = Buffer.allocUnsafe(PREFIX_BYTES + payload.byteLength);
  frame.writeUInt16BE(payload.byteLength, 0);
  frame.set(payload, PREFIX_BYTES);
  return frame;
}

export interface FrameDecoderOptions {
  /** Largest payload accepted; a larger announced length throws FrameError. */
  maxFrameBytes?: number;
}

/** Reassembles frames from TCP chunks, however the stream splits or coalesces them. */
export class FrameDecoder {
  readonly maxFrameBytes: number;
  #pending: Buffer = Buffer.alloc(0);
  #failed: FrameError | undefined;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Feeds a chunk and returns the complete payloads it finished, in order, each in its own buffer. */
  push(chunk: Uint8Array): Buffer[] {
    if (this.#failed) throw this.#failed;
    const data = this.#pending.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([this.#pending, chunk]);
    const frames: Buffer[] = [];
    let offset = 0;
    while (data.length - offset >= PREFIX_BYTES) {
      const length = data.readUInt16BE(offset);
      if (length > this.maxFrameBytes) {
        this.#failed = new FrameError(`frame of ${length} bytes exceeds the ${this.maxFrameBytes}-byte limit`);
        this.#pending = Buffer.alloc(0);
        throw this.#failed;
      }
      if (data.length - offset - PREFIX_BYTES < length) break;
      const start = offset + PREFIX_BYTES;
      if (length > 0) frames.push(Buffer.copyBytesFrom(data, start, length));
      offset = start + length;
    }
    // Copy the tail: the chunk's memory belongs to the socket and may be reused.
    this.#pending = offset === data.length ? Buffer.alloc(0) : Buffer.copyBytesFrom(data, offset);
    return frames;
  }

  /** Bytes received that do not yet form a whole frame. */
  get bufferedBytes(): number {
    return this.#pending.length;
  }
}
