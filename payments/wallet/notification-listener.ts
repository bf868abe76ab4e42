/**
 * The station's notify endpoint: a small HTTP server (node:http, 127.0.0.1 and port 0 by default)
 * that takes POST <path> from the wallet platform and hands each body to the notification receiver.
 * Its URL goes into every order the station creates (notify_url).
 */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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
  const sockets = new Set<Socket>();
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
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('error', (error) => log(`wallet notify: connection error: ${error.message}`));
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`wallet notify: server error: ${error.message}`));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
