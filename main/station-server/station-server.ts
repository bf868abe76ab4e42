/**
 * The browser target: the built renderer over HTTP on 127.0.0.1 and the station's contracts over a
 * WebSocket, for a thin client or kiosk browser, and for testing the whole stack where Electron
 * cannot run. The URL it returns carries the per-run token in its fragment, which never reaches a
 * server log or a Referer header.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SECURITY_HEADERS } from './security-headers.ts';
import { requestPath } from './request-target.ts';
import { readStaticFile } from './static-files.ts';
import { createWsBridge, type BridgedContract } from './ws-bridge.ts';

export interface StationServerOptions {
  readonly rendererDir: string;
  readonly contracts: Readonly<Record<string, BridgedContract>>;
  readonly host?: string;
  readonly port?: number;
  readonly log: (line: string) => void;
}

export interface RunningStationServer {
  readonly origin: string;
  /** The checkout page, token included. */
  readonly checkoutUrl: string;
  /** The simulated-devices panel, token included. */
  readonly simulatorUrl: string;
  close(): Promise<void>;
}

export async function startStationServer(options: StationServerOptions): Promise<RunningStationServer> {
  const host = options.host ?? '127.0.0.1';
  const token = randomBytes(32).toString('hex');
  const origins: string[] = [];
  const bridge = createWsBridge({ token, allowedOrigins: origins, contracts: options.contracts, log: options.log });

  const server = createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD' }).end();
      return;
    }
    const target = requestPath(request.url);
    if (!target) {
      response.writeHead(400, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('bad request target');
      return;
    }
    void readStaticFile(options.rendererDir, target.pathname).then((file) => {
      if (!file) {
        response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
        return;
      }
      response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.contentType, 'Content-Length': file.body.length });
      response.end(request.method === 'HEAD' ? undefined : file.body);
    });
  });
  server.on('upgrade', (request, socket, head) => bridge.handleUpgrade(request, socket, head));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  origins.push(origin);
  if (host === '127.0.0.1') origins.push(`http://localhost:${port}`);

  return {
    origin,
    checkoutUrl: `${origin}/#token=${token}`,
    simulatorUrl: `${origin}/simulator.html#token=${token}`,
    close: () =>
      new Promise((resolve) => {
        bridge.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
