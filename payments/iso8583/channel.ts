/**
 * An ISO 8583 link over one TCP socket: length-prefixed frames in, messages out (jPOS ISOChannel).
 * Used on both ends: the host wraps each accepted socket, the station wraps its outgoing one. The
 * socket may be a TLS one: the framing inside TLS is exactly the framing over plain TCP.
 *
 * A frame that does not unpack is reported as `malformed` (with whatever identity could be peeked)
 * and the link stays up, because the framing is still intact. A broken length prefix is not
 * recoverable, so that closes the link, with the FrameError as the close cause.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
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

/** TLS on a client link: the only CA trusted for the peer (pinned), and this end's certificate. */
export interface IsoTlsClientOptions {
  /** PEM of the CA the peer's certificate must chain to; the system's CAs are not trusted. */
  readonly ca: string;
  /** PEM client certificate and its private key, for a peer that asks for one (mutual TLS). */
  readonly certificate?: string;
  readonly privateKey?: string;
}

export interface ConnectOptions extends IsoChannelOptions {
  host: string;
  port: number;
  packager: IsoPackager;
  /** Connect over TLS 1.3 (and nothing older); plain TCP when absent. */
  tls?: IsoTlsClientOptions;
  /**
   * Gives up on a connection (TCP and, under TLS, the handshake) that has not come up by then. A
   * TLS client talking to a plain TCP peer would otherwise wait for ever: the peer reads the
   * ClientHello as the start of a long frame and waits for the rest.
   */
  connectTimeoutMs?: number;
}

export class ConnectTimeoutError extends Error {
  override name = 'ConnectTimeoutError';
  /** True when TCP connected but the TLS handshake did not finish. */
  readonly inHandshake: boolean;

  constructor(message: string, inHandshake: boolean) {
    super(message);
    this.inHandshake = inHandshake;
  }
}

/**
 * Opens a client link; rejects if the TCP connection cannot be made or, under TLS, the handshake
 * fails (a peer certificate not from the pinned CA, or not naming `host`): nothing is sent then.
 */
export function connectIsoChannel(options: ConnectOptions): Promise<IsoChannel> {
  return new Promise((resolve, reject) => {
    const secure = options.tls;
    const socket =
      secure === undefined
        ? net.connect({ host: options.host, port: options.port })
        : tls.connect({
            host: options.host,
            port: options.port,
            ca: secure.ca,
            ...(secure.certificate === undefined ? {} : { cert: secure.certificate }),
            ...(secure.privateKey === undefined ? {} : { key: secure.privateKey }),
            minVersion: 'TLSv1.3',
            // The peer's name is checked against the address dialled (Node's default identity check).
            ...(net.isIP(options.host) === 0 ? { servername: options.host } : {}),
          });
    // 'on', not 'once': a failed handshake may be followed by a reset, and every error needs a listener.
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const limit = options.connectTimeoutMs;
    let connected = false;
    const timer =
      limit === undefined
        ? undefined
        : setTimeout(() => {
            const inHandshake = secure !== undefined && connected;
            fail(new ConnectTimeoutError(`${inHandshake ? 'the TLS handshake did not complete' : 'no TCP connection'} within ${limit} ms`, inHandshake));
          }, limit);
    socket.once('connect', () => (connected = true));
    socket.on('error', fail);
    socket.once(secure === undefined ? 'connect' : 'secureConnect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      resolve(new IsoChannel(socket, options.packager, options));
    });
  });
}
