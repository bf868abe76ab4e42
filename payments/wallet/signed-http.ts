/**
 * A signed HTTP JSON client for the wallet API (node:http, keep-alive): signs each request with a
 * fresh nonce and timestamp (signature.ts) and accepts an answer only if the platform signed it and
 * its timestamp is fresh. Anything else (no answer in time, a broken connection, an unsigned or
 * badly signed answer) is "unknown": the caller cannot tell whether the platform acted, and its
 * policy decides what to do (query, retry, reverse).
 */
import { Agent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import {
  checkFreshness,
  formatAuthorization,
  MESSAGE_HEADERS,
  messageCanonical,
  newNonce,
  requestCanonical,
  signCanonical,
  unixSeconds,
  verifyCanonical,
  type Realm,
  type SigningKey,
  type VerifyingKey,
} from './signature.ts';

export interface SignedHttpOptions {
  /** "http://127.0.0.1:8584" */
  readonly baseUrl: string;
  readonly realm: Realm;
  /** The mchid, or the wallet user's 16-digit number. */
  readonly principal: string;
  readonly signing: SigningKey;
  /** Checks the platform's answers: the platform's public key (RSA), or the shared key (HMAC). */
  readonly verifying: VerifyingKey;
  /** How long to wait for an answer. */
  readonly timeoutMs: number;
  /** Most connections kept open to the platform (default 8). */
  readonly maxSockets?: number;
  readonly now?: () => Date;
  /** How far the platform's clock may be from ours, either side (default 300 s). */
  readonly timestampWindowSeconds?: number;
}

export type HttpOutcome =
  | { readonly kind: 'answered'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface SignedHttp {
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<HttpOutcome>;
  /** Closes the kept-open connections. */
  close(): void;
}

export function createSignedHttp(options: SignedHttpOptions): SignedHttp {
  const base = new URL(options.baseUrl);
  const secure = base.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 8 }) : new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 8 });
  const send = secure ? httpsRequest : httpRequest;
  const now = options.now ?? (() => new Date());
  const window = options.timestampWindowSeconds ?? 300;

  function verifyAnswer(headers: Record<string, string | string[] | undefined>, text: string): string | undefined {
    const header = (name: string) => {
      const value = headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const timestamp = header(MESSAGE_HEADERS.timestamp);
    const nonce = header(MESSAGE_HEADERS.nonce);
    const signature = header(MESSAGE_HEADERS.signature);
    if (timestamp === undefined || nonce === undefined || signature === undefined) return 'the answer is not signed';
    if (checkFreshness(nonce, timestamp, now(), window) !== undefined) return 'the answer\'s timestamp or nonce is not acceptable';
    try {
      if (!verifyCanonical(options.verifying, messageCanonical(timestamp, nonce, text), signature)) return 'the answer\'s signature does not match';
    } catch {
      return 'the answer\'s signature cannot be checked';
    }
    return undefined;
  }

  return {
    request(method, path, body) {
      const text = body === undefined ? '' : JSON.stringify(body);
      const timestamp = unixSeconds(now());
      const nonce = newNonce();
      const signature = signCanonical(options.signing, requestCanonical(method, path, timestamp, nonce, text));
      const headers: Record<string, string> = {
        authorization: formatAuthorization({ realm: options.realm, algorithm: options.signing.algorithm, principal: options.principal, nonce, timestamp, signature }),
        accept: 'application/json',
        'content-length': String(Buffer.byteLength(text)),
      };
      if (body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
      return new Promise<HttpOutcome>((resolve) => {
        const request = send(new URL(path, base), { method, headers, agent, timeout: options.timeoutMs }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => resolve({ kind: 'unknown', reason: `the answer broke off: ${error.message}` }));
          response.on('end', () => {
            const answer = Buffer.concat(chunks).toString('utf8');
            const problem = verifyAnswer(response.headers, answer);
            const status = response.statusCode ?? 0;
            if (problem !== undefined) return resolve({ kind: 'unknown', reason: `HTTP ${status}: ${problem}${answer === '' ? '' : `: ${answer.slice(0, 200)}`}` });
            try {
              resolve({ kind: 'answered', status, body: answer === '' ? undefined : JSON.parse(answer) });
            } catch {
              resolve({ kind: 'unknown', reason: `HTTP ${status}: the answer is not JSON` });
            }
          });
        });
        request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
        request.on('error', (error) => resolve({ kind: 'unknown', reason: error.message }));
        request.end(text);
      });
    },
    close: () => agent.destroy(),
  };
}
