/**
 * An ISO 8583 link over one TCP socket: length-prefixed frames in, messages out (jPOS ISOChannel).
 * Used on both ends: the host wraps each accepted socket, the station wraps its outgoing one.
 *
 * A frame that does not unpack is reported as `malformed` (with whatever identity could be peeked)
 * and the link stays up, because the framing is still intact. A broken length prefix is not
 * recoverable, so that closes the link, with the FrameError as the close cause.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { encodeFrame, FrameDecoder } from './framing.ts';
import { IsoFormatError } from './iso-format-error.ts';
import type { IsoMessage } from './message.ts';
import type { IsoPackager, PeekedIdentity } from './packager.ts';

export interface MalformedFrame {
  readonly error: IsoFormatError;
  readonly identity: PeekedIdentity;
  readonly byteLength: number;
}

export interface IsoChannelEvents {
  message: [message: IsoMessage];
  malformed: [frame: MalformedFrame];
  /** Emitted once. `cause` is set when the link failed (socket error, broken framing) rather than ended. */
  close: [cause: Error | undefined];
}

export interface IsoChannelOptions {
  /** Largest frame accepted from the peer; defaults to 8 KiB. */
  maxFrameBytes?: number;
}

export class ChannelClosedError extends Error {
  override name = 'ChannelClosedError';
}

export class IsoChannel extends EventEmitter<IsoChannelEvents> {
  readonly packager: IsoPackager;
  /** "host:port" of the peer, for logs. */
  readonly remoteAddress: string;
  readonly #socket: net.Socket;
  readonly #decoder: FrameDecoder;
  #open = true;
  #cause: Error | undefined;

  constructor(socket: net.Socket, packager: IsoPackager, options: IsoChannelOptions = {}) {
    super();
    this.packager = packager;
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.#socket = socket;
    this.#decoder = new FrameDecoder(options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => {
      this.#cause ??= error;
    });
    socket.on('close', () => {
      if (!this.#open) return;
      this.#open = false;
      this.emit('close', this.#cause);
    });
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** Packs and writes a message. Throws IsoFormatError for a message the profile rejects. */
  send(message: IsoMessage): void {
    if (!this.#open || this.#socket.destroyed) throw new ChannelClosedError(`channel to ${this.remoteAddress} is closed`);
    this.#socket.write(encodeFrame(this.packager.pack(message)));
  }

  /** Ends the link after pending writes are flushed. */
  close(): void {
    this.#socket.end(() => this.#socket.destroy());
  }

  /** Drops the link at once, e.g. on shutdown. */
  destroy(cause?: Error): void {
    this.#cause ??= cause;
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      this.destroy(error as Error);
      return;
    }
    for (const frame of frames) {
      if (!this.#open) return;
      let message: IsoMessage;
      try {
        message = this.packager.unpack(frame);
      } catch (error) {
        if (!(error instanceof IsoFormatError)) throw error;
        this.emit('malformed', { error, identity: this.packager.peekIdentity(frame), byteLength: frame.length });
        continue;
      }
      this.emit('message', message);
    }
  }
}

export interface ConnectOptions extends IsoChannelOptions {
  host: string;
  port: number;
  packager: IsoPackager;
}

/** Opens a client link; rejects if the TCP connection cannot be made. */
export function connectIsoChannel(options: ConnectOptions): Promise<IsoChannel> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: options.host, port: options.port });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(new IsoChannel(socket, options.packager, options));
    });
  });
}
