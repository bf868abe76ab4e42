/**
 * The station's connection to its acquirer host (jPOS channel + QMUX): one link, connected on
 * demand, carrying many requests in flight. It knows nothing of sales. For every failure it says
 * the one thing the caller must know: whether the request left the station. The link is TLS 1.3
 * with a client certificate when the endpoint has TLS credentials (link-security.ts), plain TCP
 * otherwise; the handshake happens once per connection, never per message.
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
import { ChannelClosedError, connectIsoChannel, type IsoChannel, type IsoTlsClientOptions } from '../../payments/iso8583/channel.ts';
import type { IsoMessage } from '../../payments/iso8583/message.ts';
import { IsoMux, MuxTimeoutError } from '../../payments/iso8583/mux.ts';
import { createPackager } from '../../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../../payments/iso8583/profile.ts';
import { describeLinkFailure } from '../../payments/iso8583/tls-failure.ts';

/** A TLS host that checks the client certificate after the handshake says nothing when it refuses it: it just hangs up. */
const REFUSED_AFTER_HANDSHAKE = "closed by the host straight after the TLS handshake, before any answer: it probably refused the station's certificate (the host's log says why)";

export interface AcquirerEndpoint {
  readonly host: string;
  readonly port: number;
  readonly responseTimeoutMs: number;
  /**
   * The TLS credentials, read at each connect (so a renewed certificate is picked up without a
   * restart); throws when the station has none usable. Absent: plain TCP.
   */
  readonly tls?: () => IsoTlsClientOptions;
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
  /** Why the connection ended, once it has: a refused certificate reads better than an OpenSSL alert. */
  closeReason?: string;
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
      if (error instanceof ChannelClosedError) throw new AcquirerNoAnswerError('link_lost', `the link to ${this.#address()} dropped before the answer: ${connection.closeReason ?? error.message}`);
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
    if (this.#connection !== undefined) return this.#connection;
    let tls: IsoTlsClientOptions | undefined;
    try {
      tls = this.#endpoint.tls?.();
    } catch (error) {
      return Promise.reject(new AcquirerUnavailableError(`no TLS credentials for the link to ${this.#address()}: ${error instanceof Error ? error.message : String(error)}`));
    }
    // Connecting (and the TLS handshake) may take no longer than an answer would.
    const connecting = { host: this.#endpoint.host, port: this.#endpoint.port, packager: this.#packager, connectTimeoutMs: this.#endpoint.responseTimeoutMs };
    this.#connection = connectIsoChannel({ ...connecting, ...(tls === undefined ? {} : { tls }) }).then(
      (channel) => {
        if (this.#closed) {
          channel.destroy();
          throw new AcquirerUnavailableError('the acquirer link closed while connecting');
        }
        const connection: Connection = { channel, mux: new IsoMux(channel) };
        this.#current = connection;
        let heard = false;
        channel.on('message', (message) => {
          heard = true;
          this.emit('received', message);
        });
        channel.once('close', (cause) => {
          connection.closeReason = cause !== undefined ? describeLinkFailure(cause) : heard || tls === undefined ? 'closed by the host' : REFUSED_AFTER_HANDSHAKE;
          this.#forget(connection, connection.closeReason);
        });
        return connection;
      },
      (error: unknown) => {
        this.#connection = undefined;
        throw new AcquirerUnavailableError(`cannot reach the acquirer host at ${this.#address()}: ${error instanceof Error ? describeLinkFailure(error) : String(error)}`);
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
