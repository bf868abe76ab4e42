/**
 * The browser target: the built renderer over HTTP on 127.0.0.1 and each page's contract over a
 * WebSocket, for a thin client or kiosk browser, and for testing the whole stack where Electron
 * cannot run. Every page in the station's table gets its own per-run token, carried in the fragment
 * of that page's link, which never reaches a server log or a Referer header. A page that is not in
 * the table is not served.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StationPage } from '../station/station-pages.ts';
import { requestPath } from './request-target.ts';
import { SECURITY_HEADERS } from './security-headers.ts';
import { servedFiles } from './page-files.ts';
import { readStaticFile } from './static-files.ts';
import { createWsBridge, type WsBridge } from './ws-bridge.ts';

/** Open TCP connections the server keeps, HTTP and WebSocket together; more are closed at once. */
export const MAX_CONNECTIONS = 256;
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

export interface StationServerOptions {
  readonly rendererDir: string;
  readonly pages: readonly StationPage[];
  readonly host?: string;
  readonly port?: number;
  readonly log: (line: string) => void;
  /** How often each WebSocket must answer a ping; tests shorten it. */
  readonly heartbeatMs?: number;
}

/** A page as served: its link carries its own token, which opens its socket (/ws/<contract>) and no other. */
export interface ServedPage {
  readonly path: string;
  readonly label: string;
  readonly contract: string;
  readonly changesState: boolean;
  readonly url: string;
}

export interface RunningStationServer {
  readonly origin: string;
  /** Every page of the station's table, in its order, each with its own link. */
  readonly pages: readonly ServedPage[];
  /** The link to one page, token included; undefined for a page this station does not serve. */
  urlOf(path: string): string | undefined;
  /** Open WebSocket connections per contract name. */
  connections: WsBridge['connections'];
  close(): Promise<void>;
}

export async function startStationServer(options: StationServerOptions): Promise<RunningStationServer> {
  const host = options.host ?? '127.0.0.1';
  const tokens = options.pages.map(() => randomBytes(32).toString('hex'));
  const origins: string[] = [];
  const bridge = createWsBridge({
    pages: options.pages.map((page, index) => ({ contract: page.contract.name, token: tokens[index] as string, served: page.served })),
    allowedOrigins: origins,
    log: options.log,
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
  });
  const served = servedFiles(options.rendererDir, options.pages.map((page) => page.path));

  const server = createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD' }).end();
      return;
    }
    // A browser fetching a service worker's script says so; the station has none to give, and one
    // page of the shared origin must not install one in front of the others (the CSP's worker-src
    // says the same to browsers that know it).
    if (request.headers['service-worker'] !== undefined) {
      response.writeHead(403, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('no service workers');
      return;
    }
    const target = requestPath(request.url);
    if (!target) {
      response.writeHead(400, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('bad request target');
      return;
    }
    void readStaticFile(options.rendererDir, target.pathname, served).then((file) => {
      if (!file) {
        response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
        return;
      }
      response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.contentType, 'Content-Length': file.body.length });
      response.end(request.method === 'HEAD' ? undefined : file.body);
    });
  });
  server.on('upgrade', (request, socket, head) => bridge.handleUpgrade(request, socket, head));
  // A page asks for a handful of files and keeps a few sockets: a client that holds connections
  // open, or sends its headers a byte at a time, is cut off rather than allowed to pile them up.
  server.maxConnections = MAX_CONNECTIONS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  // Listening: from here on an error is the server's (a dead listener socket), not the start's; it is logged, not thrown.
  server.on('error', (error) => options.log(`station server: ${error.message}`));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  origins.push(origin);
  if (host === '127.0.0.1') origins.push(`http://localhost:${port}`);

  const pages: ServedPage[] = options.pages.map((page, index) => ({
    path: page.path,
    label: page.label,
    contract: page.contract.name,
    changesState: page.changesState,
    url: `${origin}/${page.path === 'index.html' ? '' : page.path}#token=${tokens[index] as string}`,
  }));
  return {
    origin,
    pages,
    urlOf: (path) => pages.find((page) => page.path === path)?.url,
    connections: bridge.connections,
    close: () =>
      new Promise((resolve) => {
        bridge.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
