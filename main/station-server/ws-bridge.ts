/**
 * Carries each page's contract over a WebSocket for the browser target, with the same dispatcher
 * (and so the same schemas and validation) as Electron IPC. A connection is accepted only at its
 * page's socket (/ws/<contract>) with that page's own token, from the station's own Origin,
 * addressed to the station's own Host: a web page elsewhere in the browser can neither read a token
 * nor pass the Origin check, DNS rebinding fails the Host check, and the checkout's token does not
 * open the simulator's socket.
 *
 * Nothing a client sends can take the station down. Every socket has an 'error' listener from the
 * moment the upgrade arrives; a refused upgrade gets its HTTP status and the socket is destroyed
 * once the answer is out, whatever the client does next; a frame that breaks the protocol closes
 * that one connection with the RFC 6455 code for it (1009 too big, 1007 bad UTF-8, 1002 anything
 * else ws refuses); and what one connection may hold is bounded (message size, fragments, calls in
 * flight, unread output, connections per page).
 */
import { timingSafeEqual } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import { fail } from '../../common/ipc/result.ts';
import type { ServedContract } from '../station/station-pages.ts';
import { requestPath } from './request-target.ts';
import { createThrottledLog, type ThrottledLog } from './throttled-log.ts';

/** One page's socket: its contract's name (the path /ws/<contract>), its token and what serves it. */
export interface BridgedPage {
  readonly contract: string;
  readonly token: string;
  readonly served: ServedContract;
}

export interface WsBridgeOptions {
  readonly pages: readonly BridgedPage[];
  /** The origins pages are served from, e.g. http://127.0.0.1:4321 and http://localhost:4321. */
  readonly allowedOrigins: readonly string[];
  readonly log: (line: string) => void;
  /** How often a connection must answer a ping; tests shorten it. */
  readonly heartbeatMs?: number;
}

/** Largest message a page may send; the biggest real invoke is a cart of a few KiB. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** A browser sends each message whole; a message in more pieces than this is an attack on the buffers. */
export const MAX_FRAGMENTS = 64;
/** Calls one connection may have unanswered; a page waits for each answer, so more is abuse. */
export const MAX_CALLS_IN_FLIGHT = 32;
/** Output a connection may leave unread before it is dropped: a page that stops reading its events. */
export const MAX_UNREAD_BYTES = 1024 * 1024;
/** Open connections per page: a page and its reloads, several tabs, never hundreds. */
export const MAX_CONNECTIONS_PER_PAGE = 16;
/** A connection that does not answer a ping within this long is gone (a sleeping laptop, a cut cable). */
export const HEARTBEAT_MS = 30_000;
/** How long a closing handshake may take before the socket is destroyed anyway. */
const CLOSE_TIMEOUT_MS = 5_000;

export function tokensMatch(expected: string, offered: string | null): boolean {
  if (offered === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(offered);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type UpgradeVerdict = { readonly ok: true; readonly page: BridgedPage } | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string };

export function judgeUpgrade(request: Pick<IncomingMessage, 'url' | 'headers'>, options: Pick<WsBridgeOptions, 'pages' | 'allowedOrigins'>): UpgradeVerdict {
  const url = requestPath(request.url);
  if (!url) return { ok: false, status: 400, reason: 'request target does not parse' };
  const name = /^\/ws\/([a-z]+)$/.exec(url.pathname)?.[1];
  const page = options.pages.find((candidate) => candidate.contract === name);
  if (!page) return { ok: false, status: 404, reason: `no socket at ${url.pathname.slice(0, 80)}` };
  const origin = request.headers.origin;
  if (!origin || !options.allowedOrigins.includes(origin)) return { ok: false, status: 403, reason: `origin ${origin?.slice(0, 80) ?? '(none)'} not allowed` };
  const host = request.headers.host;
  if (!host || !options.allowedOrigins.some((allowed) => new URL(allowed).host === host)) return { ok: false, status: 403, reason: `host ${host?.slice(0, 80) ?? '(none)'} not allowed` };
  if (!tokensMatch(page.token, url.searchParams.get('token'))) return { ok: false, status: 403, reason: `missing or wrong token for /ws/${page.contract}` };
  return { ok: true, page };
}

interface Invoke {
  readonly id: number;
  readonly method: string;
  readonly input: unknown;
}

function parseInvoke(data: string): Invoke | { readonly id?: number; readonly error: string } {
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return { error: 'message is not JSON' };
  }
  if (typeof message !== 'object' || message === null) return { error: 'message is not an object' };
  const { type, id, method, input } = message as Record<string, unknown>;
  const validId = typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
  if (type !== 'invoke' || validId === undefined || typeof method !== 'string') {
    return { ...(validId === undefined ? {} : { id: validId }), error: 'expected {"type":"invoke","id":<integer>,"method":<string>,"input":…}' };
  }
  return { id: validId, method, input };
}

export interface WsBridge {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Open connections per contract name, for tests and the abuse benchmark. */
  connections(): Readonly<Record<string, number>>;
  close(): void;
}

export function createWsBridge(options: WsBridgeOptions): WsBridge {
  // ws 8.23 takes maxFragments and closeTimeout; @types/ws 8.18 does not list them yet.
  const serverOptions = { noServer: true, maxPayload: MAX_MESSAGE_BYTES, maxFragments: MAX_FRAGMENTS, closeTimeout: CLOSE_TIMEOUT_MS } satisfies ServerOptions & Record<string, unknown>;
  const server = new WebSocketServer(serverOptions);
  // Refusals and protocol errors are what an attacker controls: their log lines are rate-limited.
  const refusals: ThrottledLog = createThrottledLog(options.log, 'station server');
  const open = new Map<string, number>(options.pages.map((page) => [page.contract, 0]));
  const alive = new WeakSet<WebSocket>();

  const heartbeat = setInterval(() => {
    for (const client of server.clients) {
      if (!alive.has(client)) {
        client.terminate();
        continue;
      }
      alive.delete(client);
      client.ping();
    }
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();

  const serve = (socket: WebSocket, page: BridgedPage): void => {
    open.set(page.contract, (open.get(page.contract) ?? 0) + 1);
    alive.add(socket);
    let inFlight = 0;
    const send = (message: unknown) => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > MAX_UNREAD_BYTES) {
        refusals.note(`/ws/${page.contract}: dropped a connection that left ${socket.bufferedAmount} bytes unread`);
        socket.terminate();
        return;
      }
      socket.send(JSON.stringify(message));
    };
    const disconnect = page.served.events.connect((event, payload) => send({ type: 'event', event, payload }));
    // ws has already answered a protocol violation with its close code; what is left is to say so.
    socket.on('error', (error) => refusals.note(`/ws/${page.contract}: closed a connection: ${error.message}`));
    socket.on('pong', () => alive.add(socket));
    socket.on('close', () => {
      disconnect();
      open.set(page.contract, (open.get(page.contract) ?? 1) - 1);
    });
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        socket.close(1003, 'text frames only');
        return;
      }
      const invoke = parseInvoke(data.toString());
      if ('error' in invoke) {
        if (invoke.id === undefined) socket.close(1008, invoke.error);
        else send({ type: 'result', id: invoke.id, result: fail('invalid_input', invoke.error) });
        return;
      }
      if (inFlight >= MAX_CALLS_IN_FLIGHT) {
        send({ type: 'result', id: invoke.id, result: fail('busy', `more than ${MAX_CALLS_IN_FLIGHT} calls in flight on this connection`) });
        return;
      }
      inFlight += 1;
      // The dispatcher answers every call with a Result, never a rejection.
      void page.served.dispatch(invoke.method, invoke.input).then((result) => {
        inFlight -= 1;
        send({ type: 'result', id: invoke.id, result });
      });
    });
  };

  const refuse = (socket: Duplex, status: 400 | 403 | 404 | 503, reason: string): void => {
    refusals.note(`websocket refused (${status}): ${reason}`);
    // Destroyed once the answer is out: a client that never closes its side must not keep the socket.
    socket.once('finish', () => socket.destroy());
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  return {
    handleUpgrade(request, socket, head) {
      // First, before anything can fail: Node leaves an upgraded socket without an 'error' listener,
      // and a client that resets it would otherwise take the whole process down.
      socket.on('error', (error) => refusals.note(`connection error: ${error.message}`));
      const verdict = judgeUpgrade(request, options);
      if (!verdict.ok) return refuse(socket, verdict.status, verdict.reason);
      if ((open.get(verdict.page.contract) ?? 0) >= MAX_CONNECTIONS_PER_PAGE) {
        return refuse(socket, 503, `/ws/${verdict.page.contract} already has ${MAX_CONNECTIONS_PER_PAGE} connections`);
      }
      server.handleUpgrade(request, socket, head, (ws) => serve(ws, verdict.page));
    },
    connections: () => Object.fromEntries(open),
    close() {
      clearInterval(heartbeat);
      refusals.flush();
      for (const client of server.clients) client.terminate();
      server.close();
    },
  };
}
