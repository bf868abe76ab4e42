import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChannelClosedError, type IsoChannel } from './channel.ts';
import { openChannelPair, type ChannelPair } from './channel-pair.ts';
import { IsoFormatError } from './iso-format-error.ts';
import { createMessage, type IsoMessage } from './message.ts';
import { IsoMux, MuxTimeoutError } from './mux.ts';
import { createPackager } from './packager.ts';
import { PROFILE_FIELDS } from './profile.ts';

const packager = createPackager(PROFILE_FIELDS);
let pair: ChannelPair;
let host: IsoChannel;
let mux: IsoMux;

beforeEach(async () => {
  // Only timers are faked: the sockets underneath are real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  pair = await openChannelPair(packager);
  host = pair.serverChannel();
  mux = new IsoMux(pair.client);
});

afterEach(async () => {
  vi.useRealTimers();
  await pair.close();
});

function request(mti: string, stan: string, tid = 'POS00001'): IsoMessage {
  return createMessage(mti, { 11: stan, 41: tid });
}

/** Collects the requests the host side receives. */
function hostReceives(count: number): Promise<IsoMessage[]> {
  const received: IsoMessage[] = [];
  return new Promise((resolve) =>
    host.on('message', (message) => {
      received.push(message);
      if (received.length === count) resolve(received);
    }),
  );
}

describe('IsoMux', () => {
  it('matches responses that come back out of order', async () => {
    const arrived = hostReceives(3);
    const first = mux.request(request('0200', '000001'), { timeoutMs: 5000 });
    const second = mux.request(request('0200', '000002'), { timeoutMs: 5000 });
    const third = mux.request(request('0800', '000003'), { timeoutMs: 5000 });
    expect(mux.pendingCount).toBe(3);
    await arrived;
    host.send(createMessage('0810', { 11: '000003', 41: 'POS00001', 39: '00' }));
    host.send(createMessage('0210', { 11: '000002', 41: 'POS00001', 39: '51' }));
    host.send(createMessage('0210', { 11: '000001', 41: 'POS00001', 39: '00' }));
    expect((await first).fields.get(39)).toBe('00');
    expect((await second).fields.get(39)).toBe('51');
    expect((await third).mti).toBe('0810');
    expect(mux.pendingCount).toBe(0);
  });

  it('keeps the same STAN apart across MTI classes and terminals', async () => {
    const arrived = hostReceives(3);
    const purchase = mux.request(request('0200', '000007'), { timeoutMs: 5000 });
    const reversal = mux.request(request('0401', '000007'), { timeoutMs: 5000 });
    const otherTerminal = mux.request(request('0200', '000007', 'POS00002'), { timeoutMs: 5000 });
    await arrived;
    host.send(createMessage('0410', { 11: '000007', 41: 'POS00001', 39: '00' }));
    host.send(createMessage('0210', { 11: '000007', 41: 'POS00002', 39: '05' }));
    host.send(createMessage('0210', { 11: '000007', 41: 'POS00001', 39: '00' }));
    expect((await reversal).mti).toBe('0410');
    expect((await otherTerminal).fields.get(39)).toBe('05');
    expect((await purchase).fields.get(41)).toBe('POS00001');
  });

  it('matches a response echoing padded values to a request set without padding', async () => {
    const arrived = hostReceives(1);
    const pending = mux.request(request('0800', '42', 'T1'), { timeoutMs: 5000 });
    const [received] = await arrived;
    expect(received!.fields.get(11)).toBe('000042');
    host.send(createMessage('0810', { 11: received!.fields.get(11)!, 41: received!.fields.get(41)!, 39: '00' }));
    expect((await pending).mti).toBe('0810');
  });

  it('rejects with MuxTimeoutError when no response comes in time, and reports a late one as unmatched', async () => {
    const arrived = hostReceives(1);
    const pending = mux.request(request('0200', '000010'), { timeoutMs: 30_000 });
    const rejection = expect(pending).rejects.toBeInstanceOf(MuxTimeoutError);
    await arrived;
    vi.advanceTimersByTime(29_999);
    expect(mux.pendingCount).toBe(1);
    vi.advanceTimersByTime(1);
    await rejection;
    expect(mux.pendingCount).toBe(0);

    const unmatched = once(mux, 'unmatched');
    host.send(createMessage('0210', { 11: '000010', 41: 'POS00001', 39: '00' }));
    const [late] = (await unmatched) as [IsoMessage];
    expect(late.fields.get(11)).toBe('000010');
  });

  it('reports an unsolicited request as unmatched, even when its key matches a pending request', async () => {
    const arrived = hostReceives(1);
    const pending = mux.request(request('0200', '000011'), { timeoutMs: 5000 });
    await arrived;
    const unmatched = once(mux, 'unmatched');
    host.send(createMessage('0200', { 11: '000011', 41: 'POS00001' }));
    expect(((await unmatched) as [IsoMessage])[0].mti).toBe('0200');
    expect(mux.pendingCount).toBe(1);
    host.send(createMessage('0210', { 11: '000011', 41: 'POS00001', 39: '00' }));
    await pending;
  });

  it('refuses a second request with the same key while the first is in flight', async () => {
    const first = mux.request(request('0200', '000012'), { timeoutMs: 5000 });
    await expect(mux.request(request('0200', '000012'), { timeoutMs: 5000 })).rejects.toThrow(/already in flight/);
    mux.close();
    await expect(first).rejects.toBeInstanceOf(ChannelClosedError);
  });

  it('refuses a request without DE11 or DE41', async () => {
    await expect(mux.request(createMessage('0200', { 11: '000001' }), { timeoutMs: 5000 })).rejects.toThrow(TypeError);
    await expect(mux.request(createMessage('0200', { 41: 'POS00001' }), { timeoutMs: 5000 })).rejects.toThrow(TypeError);
  });

  it('rejects with the packing error and forgets the request when it does not pack', async () => {
    await expect(mux.request(createMessage('0200', { 3: 'ABCDEF', 11: '000013', 41: 'POS00001' }), { timeoutMs: 5000 })).rejects.toBeInstanceOf(IsoFormatError);
    expect(mux.pendingCount).toBe(0);
  });

  it('rejects everything in flight when the channel closes, and new requests after', async () => {
    const arrived = hostReceives(2);
    const first = mux.request(request('0200', '000020'), { timeoutMs: 5000 });
    const second = mux.request(request('0200', '000021'), { timeoutMs: 5000 });
    await arrived;
    pair.serverSocket.destroy();
    await expect(first).rejects.toBeInstanceOf(ChannelClosedError);
    await expect(second).rejects.toBeInstanceOf(ChannelClosedError);
    expect(mux.pendingCount).toBe(0);
    await expect(mux.request(request('0200', '000022'), { timeoutMs: 5000 })).rejects.toBeInstanceOf(ChannelClosedError);
  });
});
