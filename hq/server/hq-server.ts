/**
 * The head-office service: HTTP (or HTTPS with a certificate) in front of PostgreSQL.
 *
 *   POST /v1/events                 a station's upload batch          station signature
 *   GET  /v1/price-list?after=N     the newest price list, 204 if none newer   station signature
 *   GET  /api/report?from&to        the office report (JSON)          office token
 *   GET  /api/price-list            the newest price list             office token
 *   POST /api/price-list            publish an edit as a new version  office token
 *   GET  /, /assets/…               the report page                   (the page sends the token)
 *
 * Station requests are signed with the station's own secret and the answers are signed back
 * (common-node/station-signature.ts). The office token travels in the page URL's fragment, never
 * to a server log, and then as a Bearer header.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { ProductSchema } from '../../common/catalog.ts';
import { ReportQuerySchema } from '../../common/head-office/report.ts';
import type { UploadRefusal } from '../../common/head-office/upload-reply.ts';
import { claimedStation, clockSkewed, signReply, verifyRequest, type ClaimedStation } from '../../common-node/station-signature.ts';
import { latestPriceList, publishPriceList } from '../catalog/price-lists.ts';
import type { HqDatabase } from '../db/database.ts';
import { ingestBatch, type IngestHooks } from '../ingest/ingest-batch.ts';
import { headOfficeReport } from '../reports/report-queries.ts';
import { StationKeys } from '../stations/stations.ts';
import { loadPageFiles, PAGE_HEADERS, type PageFiles } from './page-files.ts';
import { BodyTooLarge, readBody, Slots, type ReadBody } from './request-body.ts';

/**
 * A station's body is read before its signature can be checked (the signature covers it), so this
 * cap bounds what a request that names a real station and key may make the head office hold before
 * it is authenticated. The uploader's usual batch (500 events) is well under 1 MiB; one that is too
 * large is answered `too_large` and the uploader halves its batches.
 */
export const MAX_STATION_BODY_BYTES = 4 * 1024 * 1024;
/** Station bodies read at once; further requests wait, unread. */
const CONCURRENT_BODY_READS = 16;
/** A catalog for POST /api/price-list (office token checked before reading). */
const MAX_OFFICE_BODY_BYTES = 16 * 1024 * 1024;
/** The whole request, headers to last body byte, including a wait for a read slot. */
const REQUEST_TIMEOUT_MS = 60_000;

export interface HqServerOptions {
  readonly database: HqDatabase;
  /** The built report page (vite.hq.config.ts); without it only the APIs are served. */
  readonly pageDir?: string;
  readonly host?: string;
  readonly port?: number;
  /** PEM certificate and key: serve HTTPS. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** The office token; a random one per run when not given. */
  readonly officeToken?: string;
  readonly ingestHooks?: IngestHooks;
  /** The cap on a station's body (MAX_STATION_BODY_BYTES). */
  readonly maxStationBodyBytes?: number;
  readonly log: (line: string) => void;
}

export interface RunningHqServer {
  readonly origin: string;
  /** The report page, office token in the fragment. */
  readonly reportUrl: string;
  readonly officeToken: string;
  close(): Promise<void>;
}

const PriceListEditSchema = z.object({
  upsert: z.array(ProductSchema).optional(),
  deactivate: z.array(z.string()).optional(),
  replaceAll: z.boolean().optional(),
  note: z.string().max(500).optional(),
});

const STATUS_OF: Record<UploadRefusal['error'], number> = {
  malformed: 400,
  unknown_schema_version: 400,
  wrong_station: 403,
  sequence_gap: 409,
  sequence_conflict: 409,
  unknown_sale: 422,
  unauthenticated: 401,
  too_large: 413,
  not_found: 404,
  server_error: 503,
};

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A refusal sent before the body was read: the connection is closed rather than the body drained. */
const CLOSE = { Connection: 'close' } as const;

const refusal = (error: UploadRefusal['error'], message: string): UploadRefusal => ({ ok: false, error, message });

export async function startHqServer(options: HqServerOptions): Promise<RunningHqServer> {
  const { database, log } = options;
  const officeToken = options.officeToken ?? randomBytes(32).toString('hex');
  const keys = new StationKeys(database, { log });
  const bodyReads = new Slots(CONCURRENT_BODY_READS);
  const page: PageFiles | undefined = options.pageDir ? loadPageFiles(options.pageDir) : undefined;

  const send = (response: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
    response.writeHead(status, { ...PAGE_HEADERS, 'Content-Length': String(Buffer.byteLength(body)), ...headers });
    response.end(body);
  };
  const sendJson = (response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
    send(response, status, status === 204 ? '' : JSON.stringify(value), status === 204 ? headers : { 'Content-Type': 'application/json; charset=utf-8', ...headers });

  /**
   * A station request: refused unread unless its headers name an enrolled station and key at a
   * plausible time; then its body is read (bounded, a few at a time) and its signature checked; the
   * answer is signed for that station.
   */
  async function stationRoute(request: IncomingMessage, response: ServerResponse, target: string, handle: (claim: ClaimedStation, body: Buffer) => Promise<{ status: number; value: unknown }>) {
    const claim = claimedStation(request.headers);
    const skewed = claim !== undefined && clockSkewed(claim);
    const secret = claim && !skewed ? await keys.secret(claim.stationId, claim.keyId) : undefined;
    if (!claim || !secret) {
      log(`refused a station request to ${target}: ${!claim ? 'no signature headers' : skewed ? 'clock skew' : `unknown station or key ${claim.stationId}/${claim.keyId}`}`);
      return sendJson(response, 401, refusal('unauthenticated', skewed ? "the request's time is too far from the head office's clock" : 'the request is not signed by an enrolled station'), CLOSE);
    }
    const signed = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      const text = status === 204 ? '' : JSON.stringify(value);
      send(response, status, text, { ...(status === 204 ? {} : { 'Content-Type': 'application/json; charset=utf-8' }), 'x-pos-signature': signReply(secret, claim.signature, status, text), ...headers });
    };
    let read: ReadBody;
    try {
      read = await bodyReads.run(() => readBody(request, options.maxStationBodyBytes ?? MAX_STATION_BODY_BYTES));
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      log(`refused a station request to ${target} from ${claim.stationId}: ${error.message}`);
      return signed(413, refusal('too_large', `${error.message}: send smaller batches`), CLOSE);
    }
    const failure = verifyRequest(claim, secret, { method: request.method ?? '', target, bodySha256: read.sha256 });
    if (failure) {
      log(`refused a station request to ${target}: ${failure} (${claim.stationId}/${claim.keyId})`);
      return sendJson(response, 401, refusal('unauthenticated', 'the request is not signed by an enrolled station'));
    }
    const { status, value } = await handle(claim, read.body);
    signed(status, value);
  }

  function officeAllowed(request: IncomingMessage): boolean {
    const header = request.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const expected = Buffer.from(officeToken);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!URL.canParse(request.url ?? '/', 'http://hq.invalid')) return sendJson(response, 400, refusal('malformed', 'bad request target'));
    const url = new URL(request.url ?? '/', 'http://hq.invalid');
    const target = `${url.pathname}${url.search}`;
    const method = request.method ?? 'GET';

    if (method === 'POST' && url.pathname === '/v1/events') {
      return stationRoute(request, response, target, async (claim, body) => {
        const outcome = await ingestBatch(database.ingest, claim.stationId, body, options.ingestHooks);
        if (!outcome.ok) log(`refused a batch from ${claim.stationId}: ${outcome.error}: ${outcome.message}`);
        return { status: outcome.ok ? 200 : STATUS_OF[outcome.error], value: outcome };
      });
    }
    if (method === 'GET' && url.pathname === '/v1/price-list') {
      return stationRoute(request, response, target, async () => {
        const after = Number(url.searchParams.get('after') ?? '0');
        const list = await latestPriceList(database.office, Number.isSafeInteger(after) ? after : 0);
        return list ? { status: 200, value: list } : { status: 204, value: undefined };
      });
    }
    if (url.pathname.startsWith('/api/')) {
      if (!officeAllowed(request)) return sendJson(response, 401, refusal('unauthenticated', 'the office token is missing or wrong'));
      if (method === 'GET' && url.pathname === '/api/report') {
        const query = ReportQuerySchema.safeParse(Object.fromEntries(url.searchParams));
        if (!query.success) return sendJson(response, 400, refusal('malformed', z.prettifyError(query.error)));
        return sendJson(response, 200, await headOfficeReport(database.office, query.data));
      }
      if (method === 'GET' && url.pathname === '/api/price-list') {
        const list = await latestPriceList(database.office);
        return list ? sendJson(response, 200, list) : sendJson(response, 204, undefined);
      }
      if (method === 'POST' && url.pathname === '/api/price-list') {
        const edit = PriceListEditSchema.safeParse(parseJson((await readBody(request, MAX_OFFICE_BODY_BYTES)).body));
        if (!edit.success) return sendJson(response, 400, refusal('malformed', z.prettifyError(edit.error)));
        const published = await publishPriceList(database.office, edit.data);
        log(`published price list version ${published.version} (${published.items.length} items)`);
        return sendJson(response, 201, published);
      }
      return sendJson(response, 404, refusal('not_found', `no ${method} ${url.pathname}`));
    }
    const file = method === 'GET' || method === 'HEAD' ? page?.get(url.pathname) : undefined;
    if (!file) return send(response, 404, 'not found', { 'Content-Type': 'text/plain; charset=utf-8' });
    response.writeHead(200, { ...PAGE_HEADERS, 'Content-Type': file.contentType, 'Content-Length': String(file.body.length) });
    response.end(method === 'HEAD' ? undefined : file.body);
  }

  const handler = (request: IncomingMessage, response: ServerResponse) => {
    route(request, response).catch((error: unknown) => {
      if (error instanceof BodyTooLarge) return sendJson(response, 413, refusal('too_large', error.message), CLOSE);
      log(`request ${request.method} ${request.url} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendJson(response, 503, refusal('server_error', 'the head office could not complete the request; try again'));
      else response.destroy();
    });
  };
  const server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createHttpServer(handler);
  server.on('clientError', (_error, socket) => socket.destroy());
  server.requestTimeout = REQUEST_TIMEOUT_MS;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    origin,
    reportUrl: `${origin}/#token=${officeToken}`,
    officeToken,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
