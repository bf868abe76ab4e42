/**
 * The wallet platform's HTTP server (node:http): reads a request (64 KiB at most), finds its route,
 * checks the signature, the timestamp window and the nonce, runs the operation, waits until the
 * ledger has committed its unit (fsync), then answers with a signed JSON body. One log line per
 * request: method, path, signer, status, error code, time taken.
 *
 * Refusals before the signer is known (no route, a header that does not parse, an unknown signer)
 * are answered unsigned; every other answer is signed for its signer (signature.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenTracked, type TrackedServer } from '../../common-node/tracked-listen.ts';
import {
  checkFreshness,
  MESSAGE_HEADERS,
  messageCanonical,
  newNonce,
  parseAuthorization,
  requestCanonical,
  signCanonical,
  unixSeconds,
  verifyCanonical,
  type Realm,
  type SigningKey,
  type VerifyingKey,
} from '../../payments/wallet/signature.ts';
import type { Route, RouteResult } from './api-routes.ts';
import { WalletApiError } from './wallet-api-error.ts';

const MAX_BODY_BYTES = 64 * 1024;

export interface Signer {
  /** The mchid, or the wallet id of a wallet user. */
  readonly id: string;
  readonly verifying: VerifyingKey;
  readonly signing: SigningKey;
}

export interface WalletHttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly routes: readonly Route[];
  /** The signer named in an Authorization header of this realm, if the platform knows it. */
  signer(realm: Realm, principal: string): Signer | undefined;
  /** Records a nonce with its signed timestamp (in the ledger, in a unit of its own); false when replayed. */
  claimNonce(realm: Realm, principal: string, nonce: string, timestampSeconds: number): boolean;
  readonly timestampWindowSeconds: number;
  /** Calls back once everything written so far is durable, or with the error that lost it. */
  afterCommit(listener: (error: Error | undefined) => void): void;
  /** Called after each answered request (the notifier looks for new work when there is some). */
  afterRequest(): void;
  readonly responseDelayMs: number;
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

export function startWalletHttpServer(options: WalletHttpServerOptions): Promise<TrackedServer> {
  const server = createServer({ keepAliveTimeout: 10_000, requestTimeout: 30_000 }, (request, response) => void serve(options, request, response));
  server.on('clientError', (error, socket) => {
    options.log(`wallet: unreadable HTTP request: ${error.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return listenTracked(server, options.host, options.port, (line) => options.log(`wallet: ${line}`));
}

async function serve(options: WalletHttpServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const startedAt = performance.now();
  const target = request.url ?? '/';
  const path = target.split('?')[0]!;
  // Set as soon as the signer is known, so every later refusal (a bad signature included) is signed for it.
  const who: { signer?: Signer } = {};
  let result: RouteResult;
  let code = '-';
  try {
    const raw = await readBody(request);
    const { route, params } = findRoute(options.routes, request.method ?? '', path);
    const signer = authenticate(options, route.realm, request, target, raw, who);
    const body = route.body === undefined ? undefined : parseBody(route, request, raw);
    result = await route.run(signer.id, params, body);
  } catch (error) {
    const refusal = error instanceof WalletApiError ? error : new WalletApiError('SYSTEM_ERROR', 'the platform could not process the request');
    if (!(error instanceof WalletApiError)) options.log(`wallet: ${request.method} ${path} failed: ${(error as Error).stack ?? String(error)}`);
    code = refusal.code;
    result = { status: refusal.status, body: refusal.body() };
  }
  // The answer waits for the ledger: nothing is said that a crash could take back.
  options.afterCommit((commitError) => {
    if (commitError !== undefined) {
      code = 'SYSTEM_ERROR';
      result = { status: 500, body: new WalletApiError('SYSTEM_ERROR', 'the platform could not record the request; nothing was done').body() };
    }
    const send = () => {
      answer(options, response, result, who.signer);
      options.log(`${options.now().toISOString()} wallet ${request.method} ${path} by=${who.signer?.id ?? '-'} ${result.status} ${code} ${(performance.now() - startedAt).toFixed(1)}ms`);
      options.afterRequest();
    };
    if (options.responseDelayMs > 0) setTimeout(send, options.responseDelayMs);
    else send();
  });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new WalletApiError('BODY_TOO_LARGE', `the body exceeds ${MAX_BODY_BYTES} bytes`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function findRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: string[] } {
  let pathMatched = false;
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (match === null) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    try {
      return { route, params: match.slice(1).map((part) => decodeURIComponent(part)) };
    } catch {
      throw new WalletApiError('INVALID_REQUEST', 'a path parameter is not valid percent-encoding');
    }
  }
  if (pathMatched) throw new WalletApiError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`);
  throw new WalletApiError('NOT_FOUND', `no API at ${path}`);
}

function authenticate(options: WalletHttpServerOptions, realm: Realm, request: IncomingMessage, target: string, body: string, who: { signer?: Signer }): Signer {
  const auth = parseAuthorization(request.headers.authorization);
  if (typeof auth === 'string') throw new WalletApiError('SIGN_ERROR', auth);
  if (auth.realm !== realm) throw new WalletApiError('SIGN_ERROR', `this API takes ${realm === 'merchant' ? 'a merchant' : 'a wallet user'}'s signature`);
  const signer = options.signer(realm, auth.principal);
  if (signer === undefined) throw new WalletApiError('UNKNOWN_PRINCIPAL', `${realm === 'merchant' ? 'merchant' : 'wallet user'} ${auth.principal.slice(0, 40)} is not known to the platform`);
  who.signer = signer;
  if (signer.verifying.algorithm !== auth.algorithm) throw new WalletApiError('SIGN_ERROR', `${auth.principal} signs with ${signer.verifying.algorithm}, not ${auth.algorithm}`);
  switch (checkFreshness(auth.nonce, auth.timestamp, options.now(), options.timestampWindowSeconds)) {
    case 'bad_nonce':
      throw new WalletApiError('SIGN_ERROR', 'the nonce must be 16–64 letters and digits');
    case 'bad_timestamp':
      throw new WalletApiError('SIGN_ERROR', 'the timestamp must be Unix time in whole seconds');
    case 'stale':
      throw new WalletApiError('TIMESTAMP_STALE', `the timestamp is more than ${options.timestampWindowSeconds} s away from the platform's clock (${unixSeconds(options.now())})`);
  }
  const canonical = requestCanonical(request.method ?? '', target, auth.timestamp, auth.nonce, body);
  if (!signCheck(signer.verifying, canonical, auth.signature)) throw new WalletApiError('SIGN_ERROR', 'the signature does not match the request (see docs/wallet-api.md for the string to sign)');
  if (!options.claimNonce(realm, auth.principal, auth.nonce, Number(auth.timestamp))) throw new WalletApiError('NONCE_REPLAYED', 'this nonce was already used; every request needs a fresh one');
  return signer;
}

/** A signature that cannot even be checked (say, RSA bytes of the wrong length) does not match. */
function signCheck(key: VerifyingKey, canonical: string, signature: string): boolean {
  try {
    return verifyCanonical(key, canonical, signature);
  } catch {
    return false;
  }
}

function parseBody(route: Route, request: IncomingMessage, raw: string): unknown {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new WalletApiError('UNSUPPORTED_MEDIA_TYPE', 'the body must be application/json');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new WalletApiError('PARAM_ERROR', 'the body is not valid JSON');
  }
  const parsed = route.body!.safeParse(json);
  if (!parsed.success) {
    throw new WalletApiError('PARAM_ERROR', parsed.error.issues.map((issue) => `${issue.path.length === 0 ? 'body' : issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  return parsed.data;
}

function answer(options: WalletHttpServerOptions, response: ServerResponse, result: RouteResult, signer: Signer | undefined): void {
  const body = result.body === undefined ? '' : JSON.stringify(result.body);
  const headers: Record<string, string> = { 'content-length': String(Buffer.byteLength(body)) };
  if (body !== '') headers['content-type'] = 'application/json; charset=utf-8';
  if (signer !== undefined) {
    const timestamp = unixSeconds(options.now());
    const nonce = newNonce();
    headers[MESSAGE_HEADERS.timestamp] = timestamp;
    headers[MESSAGE_HEADERS.nonce] = nonce;
    headers[MESSAGE_HEADERS.algorithm] = signer.signing.algorithm;
    headers[MESSAGE_HEADERS.signature] = signCanonical(signer.signing, messageCanonical(timestamp, nonce, body));
  }
  if (response.destroyed) return;
  response.writeHead(result.status, headers);
  response.end(body);
}
