/** The TCP side's contract with the ledger: no answer before its work is committed. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectIsoChannel, type IsoChannel } from '../../payments/iso8583/channel.ts';
import { createMessage, getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { IsoMux } from '../../payments/iso8583/mux.ts';
import { RESPONSE_CODE } from '../issuer/response-codes.ts';
import { packager } from '../test-host.ts';
import { startHostServer, type HostServer } from './host-server.ts';
import type { RoutedAnswer } from './request-router.ts';
import { buildResponse, FINANCIAL_ECHO_FIELDS } from './responses.ts';

type Listener = (error: Error | undefined) => void;

let server: HostServer;
let channel: IsoChannel;
let mux: IsoMux;
let held: Map<string, Listener>;
let route: (request: IsoMessage) => RoutedAnswer | undefined;
let lastRouted: IsoMessage | undefined;
let logLines: string[];

/** Requests whose STAN is in `holdStans` wait for their commit until the test releases them. */
const holdStans = new Set<string>();

beforeEach(async () => {
  held = new Map();
  logLines = [];
  holdStans.clear();
  route = (request) => {
    const response = buildResponse(request, FINANCIAL_ECHO_FIELDS, RESPONSE_CODE.approved);
    response.fields.set(37, '632510000001');
    response.fields.set(38, '123456');
    return { response };
  };
  server = await startHostServer({
    host: '127.0.0.1',
    port: 0,
    packager,
    route: (request) => {
      lastRouted = request;
      return route(request);
    },
    afterCommit: (listener) => {
      const stan = lastRouted === undefined ? undefined : getText(lastRouted, 11);
      if (stan !== undefined && holdStans.has(stan)) held.set(stan, listener);
      else listener(undefined);
    },
    responseDelayMs: 0,
    maxFrameBytes: 8192,
    log: (line) => logLines.push(line),
  });
  channel = await connectIsoChannel({ host: '127.0.0.1', port: server.port, packager });
  mux = new IsoMux(channel);
});

afterEach(async () => {
  channel.destroy();
  await server.close();
});

const request = (stan: string) => createMessage('0200', { 3: '000000', 4: '000000001000', 7: '1121101530', 11: stan, 41: 'POS00001', 49: '156' });

describe('host server', () => {
  it('writes no answer before its ledger work is committed', async () => {
    holdStans.add('000001');
    let firstAnswered = false;
    const first = mux.request(request('000001'), { timeoutMs: 10_000 }).then((response) => {
      firstAnswered = true;
      return response;
    });
    // Answers go out in the order they are written: the second one arriving first proves the
    // first was held back, not merely slow.
    await mux.request(request('000002'), { timeoutMs: 10_000 });
    expect(firstAnswered).toBe(false);
    held.get('000001')!(undefined);
    expect(getText(await first, 39)).toBe('00');
  });

  it('answers 96 without RRN or approval code when the commit fails', async () => {
    holdStans.add('000003');
    const pending = mux.request(request('000003'), { timeoutMs: 10_000 });
    await new Promise<void>((resolve) => {
      const waitForHold = () => (held.has('000003') ? resolve() : setImmediate(waitForHold));
      waitForHold();
    });
    held.get('000003')!(new Error('disk I/O error'));
    const response = await pending;
    expect(getText(response, 39)).toBe('96');
    expect(response.fields.has(37)).toBe(false);
    expect(response.fields.has(38)).toBe(false);
    expect(getText(response, 4)).toBe('000000001000');
    expect(logLines.some((line) => line.includes('rc=96') && line.includes('ledger commit failed: disk I/O error'))).toBe(true);
  });

  it('answers 96 with the MTI’s echo fields when deciding throws', async () => {
    route = () => {
      throw new Error('bug');
    };
    const reversal = createMessage('0400', { 3: '000000', 4: '000000001000', 7: '1121101530', 11: '000004', 41: 'POS00001', 90: '0'.repeat(42) });
    const response = await mux.request(reversal, { timeoutMs: 10_000 });
    expect(response.mti).toBe('0410');
    expect(getText(response, 39)).toBe('96');
    expect(getText(response, 90)).toBe('0'.repeat(42));
  });
});
