/**
 * One live connection per terminal ID, over real TCP against the real host: a second connection
 * signing on with an ID already signed on elsewhere is refused with 58, and so is everything it sends
 * for that ID afterwards; the attempt is a risk event in the ledger; the first connection carries on.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectIsoChannel, type IsoChannel } from '../../payments/iso8583/channel.ts';
import { createMessage, getText } from '../../payments/iso8583/message.ts';
import { IsoMux } from '../../payments/iso8583/mux.ts';
import { packager, startTestHost, type TestHost } from '../test-host.ts';
import { SESSION_STALE_AFTER_MS } from './terminal-sessions.ts';

let host: TestHost;
const opened: IsoChannel[] = [];
let stan = 100;

beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  opened.splice(0).forEach((channel) => channel.destroy());
  await host.close();
});

interface Till {
  readonly channel: IsoChannel;
  network(code: '001' | '002' | '301', terminalId: string): Promise<string | undefined>;
}

async function till(): Promise<Till> {
  const channel = await connectIsoChannel({ host: '127.0.0.1', port: host.running.port, packager });
  opened.push(channel);
  const mux = new IsoMux(channel);
  return {
    channel,
    network: async (code, terminalId) =>
      getText(await mux.request(createMessage('0800', { 7: '1121101530', 11: String(++stan).padStart(6, '0'), 41: terminalId, 70: code }), { timeoutMs: 10_000 }), 39),
  };
}

const closed = (channel: IsoChannel) => new Promise<void>((resolve) => (channel.isOpen ? channel.once('close', () => resolve()) : resolve()));

describe('terminal sessions', () => {
  it('refuses a second live connection signing on with the same terminal ID, and everything it sends for that ID, and logs a risk event', async () => {
    const first = await till();
    const second = await till();
    expect(await first.network('001', 'POS00001')).toBe('00');
    expect(await second.network('001', 'POS00001')).toBe('58');
    expect(await second.network('301', 'POS00001')).toBe('58');
    // The connection itself stays usable: the host closes connections only when their framing breaks.
    expect(await second.network('301', 'POS00009')).toBe('00');

    expect(await first.network('301', 'POS00001')).toBe('00');
    const [event, ...others] = host.query<{ kind: string; tid: string; detail: string }>('SELECT kind, tid, detail FROM risk_events');
    expect(others).toEqual([]);
    expect(event).toMatchObject({ kind: 'terminal-already-signed-on', tid: 'POS00001' });
    expect(event?.detail).toMatch(/^sign-on from 127\.0\.0\.1:\d+ refused: already signed on from 127\.0\.0\.1:\d+$/);
    expect(host.logLines.some((line) => line.includes('risk event: terminal POS00001 sign-on from'))).toBe(true);
    expect(host.logLines.some((line) => / 0800 .*tid=POS00001 .*rc=58 [\d.]+ms \(terminal already signed on from /.test(line))).toBe(true);
  });

  it('lets other terminal IDs sign on, and the same connection sign on again', async () => {
    const first = await till();
    const second = await till();
    expect(await first.network('001', 'POS00001')).toBe('00');
    expect(await second.network('001', 'POS00002')).toBe('00');
    expect(await first.network('001', 'POS00001')).toBe('00');
  });

  it('frees the terminal ID when its connection signs off or closes', async () => {
    const first = await till();
    expect(await first.network('001', 'POS00001')).toBe('00');
    expect(await first.network('002', 'POS00001')).toBe('00');
    const second = await till();
    expect(await second.network('001', 'POS00001')).toBe('00');
    second.channel.destroy();
    await closed(second.channel);
    const third = await till();
    // The host may see the close a moment after the client did: the next sign-on is what tells.
    await expect.poll(() => third.network('001', 'POS00001')).toBe('00');
  });

  it('hands the terminal ID to a new connection when the old one has been silent past the echo interval', async () => {
    const first = await till();
    expect(await first.network('001', 'POS00001')).toBe('00');
    host.setClock(new Date(host.now().getTime() + SESSION_STALE_AFTER_MS + 1000));
    const second = await till();
    expect(await second.network('001', 'POS00001')).toBe('00');
    await closed(first.channel);
    expect(host.query('SELECT * FROM risk_events')).toEqual([]);
  });
});
