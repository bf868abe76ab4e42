/**
 * The station's connection to its acquirer host: one TCP link (connected on demand, re-opened after
 * a drop) carrying many requests in flight through a mux. It knows nothing of sales; it sends a
 * request and returns the matched response, or fails with a reason the cashier can be told.
 */
import { connectIsoChannel, type IsoChannel } from '../../payments/iso8583/channel.ts';
import type { IsoMessage } from '../../payments/iso8583/message.ts';
import { IsoMux, MuxTimeoutError } from '../../payments/iso8583/mux.ts';
import { createPackager } from '../../payments/iso8583/packager.ts';
import { PROFILE_V1 } from '../../payments/iso8583/profile-v1.ts';

export interface AcquirerEndpoint {
  readonly host: string;
  readonly port: number;
  readonly responseTimeoutMs: number;
}

export class AcquirerUnavailableError extends Error {
  override readonly name = 'AcquirerUnavailableError';
}

export class AcquirerTimeoutError extends Error {
  override readonly name = 'AcquirerTimeoutError';
}

export class AcquirerLink {
  readonly #endpoint: AcquirerEndpoint;
  readonly #packager = createPackager(PROFILE_V1);
  #connection: Promise<{ channel: IsoChannel; mux: IsoMux }> | undefined;

  constructor(endpoint: AcquirerEndpoint) {
    this.#endpoint = endpoint;
  }

  get endpoint(): AcquirerEndpoint {
    return this.#endpoint;
  }

  async request(message: IsoMessage): Promise<IsoMessage> {
    const { mux } = await this.#connect();
    try {
      return await mux.request(message, { timeoutMs: this.#endpoint.responseTimeoutMs });
    } catch (error) {
      if (error instanceof MuxTimeoutError) {
        throw new AcquirerTimeoutError(`no answer from ${this.#address()} within ${this.#endpoint.responseTimeoutMs} ms`);
      }
      throw new AcquirerUnavailableError(`link to ${this.#address()} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  close(): void {
    const connection = this.#connection;
    this.#connection = undefined;
    void connection?.then(({ channel }) => channel.close(), () => undefined);
  }

  #connect(): Promise<{ channel: IsoChannel; mux: IsoMux }> {
    this.#connection ??= connectIsoChannel({ host: this.#endpoint.host, port: this.#endpoint.port, packager: this.#packager }).then(
      (channel) => {
        channel.once('close', () => {
          this.#connection = undefined;
        });
        return { channel, mux: new IsoMux(channel) };
      },
      (error: unknown) => {
        this.#connection = undefined;
        throw new AcquirerUnavailableError(`cannot reach the acquirer host at ${this.#address()}: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    return this.#connection;
  }

  #address(): string {
    return `${this.#endpoint.host}:${this.#endpoint.port}`;
  }
}
