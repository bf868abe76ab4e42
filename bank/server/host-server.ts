/**
 * The host's TCP side: one IsoChannel per station connection, every request answered on its own
 * (so a connection can have many in flight and answers go back as they are ready), one log line
 * per message.
 *
 * With TLS credentials it listens for TLS 1.3 only, with mutual authentication: a station must
 * present a client certificate from the host's own CA, in date, for a client, or its connection is
 * dropped (and the reason logged) before a byte of ISO 8583 is read. The certificate's CN is the station's terminal ID, and
 * the connection is bound to it: a request whose DE41 names another terminal is answered DE39=58
 * with no effect, so one station's credentials cannot act for another (terminal-identity.ts).
 * Without credentials it is plain TCP, for stations configured so. The framing is the same either way.
 *
 * No answer is written before the ledger work behind it is committed (afterCommit): an approval the
 * station has seen is on disk, whatever happens to the host afterwards. When the commit fails,
 * the request is answered DE39=96 instead, since nothing it asked for happened.
 *
 * The host must never crash or hang on what a station sends:
 *  - a frame that does not unpack but whose MTI, DE11 and DE41 can be read is answered DE39=30;
 *  - any other bad frame is dropped and logged, and the connection stays usable;
 *  - a broken length prefix closes that one connection (the channel's rule);
 *  - an exception while deciding is answered DE39=96.
 */
import net, { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { IsoChannel, type MalformedFrame } from '../../payments/iso8583/channel.ts';
import { createMessage, getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { isRequestMti, responseMti } from '../../payments/iso8583/mti.ts';
import type { IsoPackager } from '../../payments/iso8583/packager.ts';
import { RESPONSE_CODE } from '../issuer/response-codes.ts';
import { formatExchangeLine, maskedPanOf, type ExchangeLogEntry } from './message-log.ts';
import type { RequestRouter } from './request-router.ts';
import { buildResponse, echoFieldsFor, notDoneResponse } from './responses.ts';
import { clientRefusal, describeTlsRefusal, terminalIdOf } from './terminal-identity.ts';
import type { TerminalSessions } from './terminal-sessions.ts';

/** The host's side of mutual TLS, all PEM. */
export interface HostTlsCredentials {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  /** The CA whose client certificates are accepted (the host's own). */
  readonly clientCaPem: string;
}

/** A handshake that has not finished by then is dropped (a station's takes milliseconds). */
const HANDSHAKE_TIMEOUT_MS = 10_000;

export interface HostServerOptions {
  readonly host: string;
  /** 0 picks a free port; read the actual one from the returned server. */
  readonly port: number;
  readonly packager: IsoPackager;
  readonly route: RequestRouter;
  /** Calls back once the ledger work decided so far is durable, or with the error that lost it. */
  readonly afterCommit: (listener: (error: Error | undefined) => void) => void;
  readonly responseDelayMs: number;
  readonly maxFrameBytes: number;
  readonly log: (line: string) => void;
  /** One live connection per signed-on terminal ID (terminal-sessions.ts). */
  readonly terminalSessions?: TerminalSessions;
  /** Mutual TLS 1.3 with these; plain TCP when absent. */
  readonly tls?: HostTlsCredentials;
}

export interface HostServer {
  readonly host: string;
  readonly port: number;
  readonly transport: 'tls' | 'plain';
  /** Stops listening, drops open connections and pending answers. */
  close(): Promise<void>;
}

export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const { packager, route, afterCommit, responseDelayMs, maxFrameBytes, log, terminalSessions } = options;
  const channels = new Set<IsoChannel>();
  const pendingAnswers = new Set<ReturnType<typeof setTimeout>>();

  /** Serves one connection; `terminalId` is the one its client certificate names (TLS only). */
  function accept(socket: net.Socket, terminalId: string | undefined): void {
    const channel = new IsoChannel(socket, packager, { maxFrameBytes });
    channels.add(channel);
    channel.on('message', (request) => answer(channel, request, terminalId));
    channel.on('malformed', (frame) => answerMalformed(channel, frame));
    channel.on('close', (cause) => {
      channels.delete(channel);
      terminalSessions?.closed(channel);
      if (cause) log(`${new Date().toISOString()} connection ${channel.remoteAddress} closed: ${cause.message}`);
    });
  }

  const credentials = options.tls;
  const server =
    credentials === undefined
      ? net.createServer((socket) => accept(socket, undefined))
      : tls.createServer(
          {
            key: credentials.privateKeyPem,
            cert: credentials.certificatePem,
            ca: credentials.clientCaPem,
            requestCert: true,
            // Checked below rather than by Node: with rejectUnauthorized Node drops a client whose
            // certificate fails verification without saying why, and the host log must say why.
            rejectUnauthorized: false,
            minVersion: 'TLSv1.3',
            handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
          },
          (socket) => {
            const address = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
            const refusal = clientRefusal(socket);
            const terminalId = refusal === undefined ? terminalIdOf(socket) : undefined;
            if (terminalId === undefined) {
              // Nothing the client sent is read: the socket is dropped before a channel wraps it.
              log(`${new Date().toISOString()} TLS client refused from ${address}: ${refusal ?? 'its certificate names no single terminal (CN)'}`);
              socket.on('error', () => {}).destroy();
              return;
            }
            log(`${new Date().toISOString()} connection ${address} accepted: ${socket.getProtocol() ?? 'TLS'}, client certificate for terminal ${terminalId}`);
            accept(socket, terminalId);
          },
        );
  server.on('error', (error) => log(`${new Date().toISOString()} server error: ${error.message}`));
  // Every TCP connection, channel or not yet (a TLS handshake still under way): close() ends them all.
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A handshake that fails (not TLS, TLS 1.2 or older, timed out, the client hung up) ends that socket only.
  server.on('tlsClientError', (error, socket) => log(`${new Date().toISOString()} TLS handshake refused from ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}: ${describeTlsRefusal(error)}`));

  function answer(channel: IsoChannel, request: IsoMessage, terminalId: string | undefined): void {
    const startedAt = performance.now();
    let entry: Omit<ExchangeLogEntry, 'elapsedMs'> = { mti: request.mti, stan: textField(request, 11), tid: textField(request, 41), maskedPan: maskedPanOf(textField(request, 2)) };
    const claimed = getText(request, 41);
    if (terminalId !== undefined && claimed !== undefined && claimed !== terminalId && isRequestMti(request.mti)) {
      // Not routed at all: the ledger is not touched, so there is nothing to wait for.
      const refusal = buildResponse(request, echoFieldsFor(request.mti), RESPONSE_CODE.notPermittedToTerminal);
      deliver(channel, refusal, { ...entry, note: `DE41 is not the terminal of this connection's certificate (${terminalId}): refused` }, startedAt);
      return;
    }
    const sessionRefusal = terminalSessions?.screen(channel, request);
    if (sessionRefusal !== undefined) {
      deliver(channel, sessionRefusal.response, { ...entry, note: sessionRefusal.note }, startedAt);
      return;
    }
    let response: IsoMessage | undefined;
    let note: string | undefined;
    try {
      const routed = route(request);
      response = routed?.response;
      note = routed?.note;
      if (routed?.maskedPan !== undefined) entry = { ...entry, maskedPan: routed.maskedPan };
    } catch (error) {
      response = isRequestMti(request.mti) ? buildResponse(request, echoFieldsFor(request.mti), RESPONSE_CODE.systemMalfunction) : undefined;
      note = `host error: ${(error as Error).message}`;
    }
    if (response === undefined) {
      log(formatExchangeLine({ ...entry, elapsedMs: performance.now() - startedAt, note: note ?? 'not a request, not answered' }));
      return;
    }
    const decided = response;
    afterCommit((error) => {
      if (error === undefined) deliver(channel, decided, { ...entry, note }, startedAt, () => terminalSessions?.answered(channel, request, decided));
      else deliver(channel, notDoneResponse(decided, RESPONSE_CODE.systemMalfunction), { ...entry, note: `ledger commit failed: ${error.message}` }, startedAt);
    });
  }

  function answerMalformed(channel: IsoChannel, { error, identity, byteLength }: MalformedFrame): void {
    const startedAt = performance.now();
    const { mti, stan, tid } = identity;
    if (mti === undefined || stan === undefined || tid === undefined || !isRequestMti(mti)) {
      log(`${new Date().toISOString()} dropped a ${byteLength}-byte frame from ${channel.remoteAddress}: ${error.message}`);
      return;
    }
    const response = createMessage(responseMti(mti), { 11: stan, 39: RESPONSE_CODE.formatError, 41: tid });
    deliver(channel, response, { mti, stan, tid, note: `format error: ${error.message}` }, startedAt);
  }

  /** `sent` runs once the answer is on its way (not when it could not be sent). */
  function deliver(channel: IsoChannel, response: IsoMessage, entry: Omit<ExchangeLogEntry, 'elapsedMs' | 'responseCode'>, startedAt: number, sent?: () => void): void {
    const send = () => {
      let note = entry.note;
      let delivered = false;
      try {
        channel.send(response);
        delivered = true;
      } catch (error) {
        note = `answer not sent: ${(error as Error).message}`;
      }
      log(formatExchangeLine({ ...entry, note, responseCode: textField(response, 39), elapsedMs: performance.now() - startedAt }));
      if (delivered) sent?.();
    };
    if (responseDelayMs === 0) {
      send();
      return;
    }
    const timer = setTimeout(() => {
      pendingAnswers.delete(timer);
      send();
    }, responseDelayMs);
    pendingAnswers.add(timer);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  return {
    host: address.address,
    port: address.port,
    transport: credentials === undefined ? 'plain' : 'tls',
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of pendingAnswers) clearTimeout(timer);
        pendingAnswers.clear();
        server.close(() => resolve());
        for (const channel of channels) channel.destroy();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** A text field for logging; undefined when absent or (in a hand-made message) not text. */
function textField(message: IsoMessage, field: number): string | undefined {
  const value = message.fields.get(field);
  return typeof value === 'string' ? value : undefined;
}
