/**
 * The station's notify endpoint: a small HTTP server (node:http, 127.0.0.1 and port 0 by default)
 * that takes POST <path> from the wallet platform and hands each body to the notification receiver.
 * Its URL goes into every order the station creates (notify_url).
 */
import { createServer } from 'node:http';
import { listenTracked } from '../../common-node/tracked-listen.ts';
import type { NotificationReceiver, NotificationResult } from './wallet-notifications.ts';

const MAX_BODY_BYTES = 64 * 1024;

export interface NotificationListenerOptions {
  readonly receiver: NotificationReceiver;
  readonly host?: string;
  readonly port?: number;
  /** Default "/wallet/notify". */
  readonly path?: string;
  /** One call per notification, with what became of it. */
  readonly onResult?: (result: NotificationResult) => void;
  readonly log?: (line: string) => void;
}

export interface NotificationListener {
  /** "http://127.0.0.1:PORT/wallet/notify" */
  readonly url: string;
  close(): Promise<void>;
}

export async function startNotificationListener(options: NotificationListenerOptions): Promise<NotificationListener> {
  const path = options.path ?? '/wallet/notify';
  const log = options.log ?? (() => {});
  const server = createServer((request, response) => {
    const reply = (status: number, body: object) => {
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      response.end(text);
    };
    if (request.method !== 'POST' || request.url !== path) {
      request.resume();
      return reply(404, { code: 'FAIL', message: 'not the notify endpoint' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('error', (error) => log(`wallet notify: request error: ${error.message}`));
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) return reply(413, { code: 'FAIL', message: 'body too large' });
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]));
      const { result, answer } = options.receiver.receive(headers, Buffer.concat(chunks).toString('utf8'));
      log(`wallet notify: ${result.kind}${'reason' in result ? ` (${result.reason})` : ''}`);
      options.onResult?.(result);
      reply(answer.status, answer.body);
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  const listening = await listenTracked(server, options.host ?? '127.0.0.1', options.port ?? 0, (line) => log(`wallet notify: ${line}`));
  return { url: `http://${listening.host}:${listening.port}${path}`, close: () => listening.close() };
}
