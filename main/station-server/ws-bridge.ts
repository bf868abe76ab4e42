/**
 * Carries a contract over a WebSocket for the browser target, with the same dispatcher (and so the
 * same schemas and validation) as Electron IPC. A connection is accepted only with the per-run token,
 * from the station's own Origin, addressed to the station's own Host: a web page elsewhere in the
 * browser can neither read the token nor pass the Origin check, and DNS rebinding fails the Host check.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { fail } from '../../common/ipc/result.ts';
import type { Dispatch } from '../ipc/dispatcher.ts';
import type { EventSink } from '../ipc/event-bus.ts';
import { requestPath } from './request-target.ts';

export interface BridgedContract {
  readonly dispatch: Dispatch;
  readonly events: { connect(sink: EventSink): () => void };
}

export interface WsBridgeOptions {
  readonly token: string;
  /** The origins pages are served from, e.g. http://127.0.0.1:4321 and http://localhost:4321. */
  readonly allowedOrigins: readonly string[];
  /** Contracts by name: /ws/pos, /ws/sim. */
  readonly contracts: Readonly<Record<string, BridgedContract>>;
  readonly log: (line: string) => void;
}

/** Largest message a page may send; the biggest real invoke is a cart of a few KiB. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export function tokensMatch(expected: string, offered: string | null): boolean {
  if (offered === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(offered);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type UpgradeVerdict = { readonly ok: true; readonly contract: string } | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string };

export function judgeUpgrade(request: Pick<IncomingMessage, 'url' | 'headers'>, options: Pick<WsBridgeOptions, 'token' | 'allowedOrigins' | 'contracts'>): UpgradeVerdict {
  const url = requestPath(request.url);
  if (!url) return { ok: false, status: 400, reason: 'request target does not parse' };
  const match = /^\/ws\/([a-z]+)$/.exec(url.pathname);
  if (!match || !Object.hasOwn(options.contracts, match[1] as string)) return { ok: false, status: 404, reason: `no contract at ${url.pathname}` };
  const origin = request.headers.origin;
  if (!origin || !options.allowedOrigins.includes(origin)) return { ok: false, status: 403, reason: `origin ${origin ?? '(none)'} not allowed` };
  const host = request.headers.host;
  if (!host || !options.allowedOrigins.some((allowed) => new URL(allowed).host === host)) return { ok: false, status: 403, reason: `host ${host ?? '(none)'} not allowed` };
  if (!tokensMatch(options.token, url.searchParams.get('token'))) return { ok: false, status: 403, reason: 'missing or wrong token' };
  return { ok: true, contract: match[1] as string };
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

export function createWsBridge(options: WsBridgeOptions): { handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void; close(): void } {
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  const serve = (socket: WebSocket, contract: BridgedContract): void => {
    const send = (message: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const disconnect = contract.events.connect((event, payload) => send({ type: 'event', event, payload }));
    socket.on('close', disconnect);
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
      void contract.dispatch(invoke.method, invoke.input).then((result) => send({ type: 'result', id: invoke.id, result }));
    });
  };

  return {
    handleUpgrade(request, socket, head) {
      const verdict = judgeUpgrade(request, options);
      if (!verdict.ok) {
        options.log(`websocket refused: ${verdict.reason}`);
        socket.end(`HTTP/1.1 ${verdict.status} ${verdict.status === 404 ? 'Not Found' : verdict.status === 400 ? 'Bad Request' : 'Forbidden'}\r\nConnection: close\r\n\r\n`);
        return;
      }
      server.handleUpgrade(request, socket, head, (ws) => serve(ws, options.contracts[verdict.contract] as BridgedContract));
    },
    close() {
      for (const client of server.clients) client.terminate();
      server.close();
    },
  };
}
