/**
 * The station's side of the head-office API: signed requests, signed answers checked. An answer
 * whose signature does not verify is treated like no answer at all, so a forged acknowledgement can
 * never make the station drop events it still owes.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PriceListSchema, type PriceList } from '../../common/head-office/price-list.ts';
import { UploadReplySchema, type UploadReply } from '../../common/head-office/upload-reply.ts';
import type { UploadBatch } from '../../common/head-office/upload-schema.ts';
import { SIGNATURE_HEADERS, signRequest, verifyReply, type StationCredential } from '../../common-node/station-signature.ts';

export interface HeadOfficeConnection {
  /**
   * Where the head office's API is: its origin (https://hq.example.com:8443), or an origin and a path
   * prefix when it sits behind a reverse proxy that strips the prefix (https://gw.example.com/pos/).
   */
  readonly url: string;
  readonly credential: StationCredential;
  /** PEM of the CA that signed the head office's certificate, when it is not a public one. */
  readonly ca?: string;
  readonly timeoutMs?: number;
}

/** The head office could not be reached, did not answer in time, failed, or answered unsigned. Try again later. */
export class HeadOfficeUnavailable extends Error {}

interface RawReply {
  readonly status: number;
  readonly body: Buffer;
}

export class HeadOfficeClient {
  private readonly connection: HeadOfficeConnection;

  constructor(connection: HeadOfficeConnection) {
    this.connection = connection;
  }

  get stationId(): string {
    return this.connection.credential.stationId;
  }

  /**
   * `target` is the API's own path and query ("/v1/events"): that is what is signed, and what the head
   * office sees once a proxy has stripped the prefix; the request goes to the prefix + target.
   */
  private send(method: 'GET' | 'POST', target: string, body: string, signal?: AbortSignal): Promise<RawReply> {
    const base = new URL(this.connection.url);
    const url = new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}${target}`);
    const headers = signRequest(this.connection.credential, { method, target, body });
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method,
      headers: { ...headers, ...(body ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } : {}) },
      timeout: this.connection.timeoutMs ?? 30_000,
      ...(this.connection.ca ? { ca: this.connection.ca } : {}),
      ...(signal ? { signal } : {}),
    });
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => reject(new HeadOfficeUnavailable(`head office ${url.origin}: ${error.message}`));
      request.on('timeout', () => request.destroy(new Error('no answer in time')));
      request.on('error', fail);
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          const reply = { status: response.statusCode ?? 0, body: Buffer.concat(chunks) };
          const signature = response.headers[SIGNATURE_HEADERS.signature];
          if (!verifyReply(this.connection.credential.secret, headers[SIGNATURE_HEADERS.signature]!, reply.status, reply.body, typeof signature === 'string' ? signature : undefined)) {
            reject(new HeadOfficeUnavailable(`head office ${url.origin} answered ${reply.status} without a valid signature${reply.status === 401 ? ': it does not accept this station’s credential' : ''}`));
            return;
          }
          resolve(reply);
        });
      });
      request.end(body || undefined);
    });
  }

  /** Sends a batch; the head office acknowledges it or says exactly why not. `signal` gives up waiting (the station is stopping). */
  async upload(batch: UploadBatch, signal?: AbortSignal): Promise<UploadReply> {
    const reply = await this.send('POST', '/v1/events', JSON.stringify(batch), signal);
    if (reply.status >= 500) throw new HeadOfficeUnavailable(`head office answered ${reply.status}: ${reply.body.toString('utf8').slice(0, 200)}`);
    const parsed = UploadReplySchema.safeParse(JSON.parse(reply.body.toString('utf8')));
    if (!parsed.success) throw new HeadOfficeUnavailable(`head office answered ${reply.status} with something that is not an upload reply`);
    return parsed.data;
  }

  /** The newest price list if it is newer than `after`, else undefined. */
  async priceList(after: number, signal?: AbortSignal): Promise<PriceList | undefined> {
    const reply = await this.send('GET', `/v1/price-list?after=${after}`, '', signal);
    if (reply.status === 204) return undefined;
    if (reply.status !== 200) throw new HeadOfficeUnavailable(`head office answered ${reply.status} for the price list`);
    return PriceListSchema.parse(JSON.parse(reply.body.toString('utf8')));
  }
}
