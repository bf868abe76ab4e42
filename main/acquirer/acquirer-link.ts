/**
 * The station's connection to its acquirer host (jPOS channel + QMUX): one TCP link, connected on
 * demand, carrying many requests in flight. It knows nothing of sales. For every failure it says
 * the one thing the caller must know: whether the request left the station.
 *
 *  - AcquirerUnavailableError: nothing was sent (no connection). Safe to give up.
 *  - AcquirerNoAnswerError: the request was handed to the socket and no answer came, by the
 *    response timeout or because the link dropped. The host may have acted on it; a financial
 *    request must now be reversed, never sent again.
 *
 * A request left unanswered drops the connection: a link that swallows requests cannot be trusted
 * with the next one, and a fresh connection must be signed on again (link-monitor.ts) before the
 * store-and-forward queue sends anything over it. It also means a late answer can never arrive.
 */
import { EventEmitter } from 'node:events';
import { ChannelClosedError, connectIsoChannel, type IsoChannel } from '../../payments/iso8583/channel.ts';
import type { IsoMessage } from '../../payments/iso8583/message.ts';
import { IsoMux, MuxTimeoutError } from '../../payments/iso8583/mux.ts';
import { createPackager } from '../../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../../payments/iso8583/profile.ts';

export interface AcquirerEndpoint {
  readonly host: string;
  readonly port: number;
  readonly responseTimeoutMs: number;
}

export class AcquirerUnavailableError extends Error {
  override readonly name = 'AcquirerUnavailableError';
}

export class AcquirerNoAnswerError extends Error {
  override readonly name = 'AcquirerNoAnswerError';
  readonly reason: 'timeout' | 'link_lost';

  constructor(reason: 'timeout' | 'link_lost', message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface AcquirerLinkEvents {
  /** The connection ended (dropped, refused mid-way or closed by the host). */
  disconnected: [reason: string];
  /** Any message from the host: proof the link is alive. */
  received: [message: IsoMessage];
}

interface Connection {
  readonly channel: IsoChannel;
  readonly mux: IsoMux;
}

export class AcquirerLink extends EventEmitter<AcquirerLinkEvents> {
  #endpoint: AcquirerEndpoint;
  // Profile v2 adds messages, not field formats: v1's table already defines every field v2 uses.
  readonly #packager = createPackager(PROFILE_FIELDS);
  #connection: Promise<Connection> | undefined;
  #current: Connection | undefined;
  #closed = false;

  constructor(endpoint: AcquirerEndpoint) {
    super();
    this.#endpoint = endpoint;
  }

  get isConnected(): boolean {
    return this.#current?.channel.isOpen ?? false;
  }

  async request(message: IsoMessage, timeoutMs: number = this.#endpoint.responseTimeoutMs): Promise<IsoMessage> {
    const connection = await this.#connect();
    const { channel, mux } = connection;
    if (this.#current !== connection || !channel.isOpen) throw new AcquirerUnavailableError(`the link to ${this.#address()} closed before the ${message.mti} was sent`);
    // A message the profile refuses never leaves the station, so it must not be mistaken for "sent"
    // (which would queue a reversal): it fails as unavailable, like a request that found no link.
    try {
      channel.packager.pack(message);
    } catch (error) {
      throw new AcquirerUnavailableError(`the ${message.mti} was not sent: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      return await mux.request(message, { timeoutMs });
    } catch (error) {
      if (error instanceof MuxTimeoutError) {
        this.drop(`no answer to a ${message.mti} within ${timeoutMs} ms`);
        throw new AcquirerNoAnswerError('timeout', `no answer from ${this.#address()} within ${timeoutMs} ms`);
      }
      if (error instanceof ChannelClosedError) throw new AcquirerNoAnswerError('link_lost', `the link to ${this.#address()} dropped before the answer: ${error.message}`);
      throw error;
    }
  }

  /**
   * Ends the current connection; the next request connects afresh. 'disconnected' is emitted before
   * this returns, so whoever watches the link state sees it down before the caller goes on.
   */
  drop(reason: string): void {
    const current = this.#current;
    if (current === undefined) return;
    this.#forget(current, reason);
    current.channel.destroy(new Error(reason));
  }

  /** Where the link connects. */
  get address(): string {
    return this.#address();
  }

  /**
   * The host now listens elsewhere (the bundled host, restarted on another port because its own was
   * taken): the current connection, if any, ends, and the next one goes to the new address.
   */
  moveTo(address: { readonly host: string; readonly port: number }): void {
    if (address.host === this.#endpoint.host && address.port === this.#endpoint.port) return;
    this.#endpoint = { ...this.#endpoint, host: address.host, port: address.port };
    this.drop(`the acquirer host moved to ${this.#address()}`);
  }

  /** Ends the link for good (station shutdown). */
  close(): void {
    this.#closed = true;
    this.drop('station shutting down');
  }

  #connect(): Promise<Connection> {
    if (this.#closed) return Promise.reject(new AcquirerUnavailableError('the acquirer link is closed'));
    this.#connection ??= connectIsoChannel({ host: this.#endpoint.host, port: this.#endpoint.port, packager: this.#packager }).then(
      (channel) => {
        if (this.#closed) {
          channel.destroy();
          throw new AcquirerUnavailableError('the acquirer link closed while connecting');
        }
        const connection = { channel, mux: new IsoMux(channel) };
        this.#current = connection;
        channel.on('message', (message) => this.emit('received', message));
        channel.once('close', (cause) => this.#forget(connection, cause?.message ?? 'closed by the host'));
        return connection;
      },
      (error: unknown) => {
        this.#connection = undefined;
        throw new AcquirerUnavailableError(`cannot reach the acquirer host at ${this.#address()}: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    return this.#connection;
  }

  #forget(connection: Connection, reason: string): void {
    if (this.#current !== connection) return;
    this.#current = undefined;
    this.#connection = undefined;
    this.emit('disconnected', reason);
  }

  #address(): string {
    return `${this.#endpoint.host}:${this.#endpoint.port}`;
  }
}
