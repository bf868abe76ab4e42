/**
 * The host's TCP side: one IsoChannel per station connection, every request answered on its own
 * (so a connection can have many in flight and answers go back as they are ready), one log line
 * per message.
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
import { IsoChannel, type MalformedFrame } from '../../payments/iso8583/channel.ts';
import { createMessage, type IsoMessage } from '../../payments/iso8583/message.ts';
import { isRequestMti, responseMti } from '../../payments/iso8583/mti.ts';
import type { IsoPackager } from '../../payments/iso8583/packager.ts';
import { RESPONSE_CODE } from '../issuer/response-codes.ts';
import { formatExchangeLine, maskedPanOf, type ExchangeLogEntry } from './message-log.ts';
import type { RequestRouter } from './request-router.ts';
import { buildResponse, echoFieldsFor, notDoneResponse } from './responses.ts';
import type { TerminalSessions } from './terminal-sessions.ts';

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
}

export interface HostServer {
  readonly host: string;
  readonly port: number;
  /** Stops listening, drops open connections and pending answers. */
  close(): Promise<void>;
}

export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const { packager, route, afterCommit, responseDelayMs, maxFrameBytes, log, terminalSessions } = options;
  const channels = new Set<IsoChannel>();
  const pendingAnswers = new Set<ReturnType<typeof setTimeout>>();

  const server = net.createServer((socket) => {
    const channel = new IsoChannel(socket, packager, { maxFrameBytes });
    channels.add(channel);
    channel.on('message', (request) => answer(channel, request));
    channel.on('malformed', (frame) => answerMalformed(channel, frame));
    channel.on('close', (cause) => {
      channels.delete(channel);
      terminalSessions?.closed(channel);
      if (cause) log(`${new Date().toISOString()} connection ${channel.remoteAddress} closed: ${cause.message}`);
    });
  });
  server.on('error', (error) => log(`${new Date().toISOString()} server error: ${error.message}`));

  function answer(channel: IsoChannel, request: IsoMessage): void {
    const startedAt = performance.now();
    let entry: Omit<ExchangeLogEntry, 'elapsedMs'> = { mti: request.mti, stan: textField(request, 11), tid: textField(request, 41), maskedPan: maskedPanOf(textField(request, 2)) };
    const refusal = terminalSessions?.screen(channel, request);
    if (refusal !== undefined) {
      deliver(channel, refusal.response, { ...entry, note: refusal.note }, startedAt);
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of pendingAnswers) clearTimeout(timer);
        pendingAnswers.clear();
        server.close(() => resolve());
        for (const channel of channels) channel.destroy();
      }),
  };
}

/** A text field for logging; undefined when absent or (in a hand-made message) not text. */
function textField(message: IsoMessage, field: number): string | undefined {
  const value = message.fields.get(field);
  return typeof value === 'string' ? value : undefined;
}
