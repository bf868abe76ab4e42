// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../common/ipc/result.ts';
import { createWsTransport, RECONNECT_INITIAL_DELAY_MS, RECONNECT_MAX_DELAY_MS, type SocketLike } from './ws-transport.ts';

/** A WebSocket double the test drives by hand: open it, feed it frames, close it. */
class FakeSocket implements SocketLike {
  readonly sent: unknown[] = [];
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;

  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  open(): void {
    this.onopen?.(new Event('open'));
  }
  receive(frame: unknown): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) } as MessageEvent);
  }
  drop(): void {
    this.onclose?.({} as CloseEvent);
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const retries: { retry: () => void; delayMs: number }[] = [];
  const transport = createWsTransport({
    url: 'ws://station.test/ws/pos?token=ab12',
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    schedule: (retry, delayMs) => retries.push({ retry, delayMs }),
  });
  const socket = (index = sockets.length - 1): FakeSocket => {
    const found = sockets[index];
    if (!found) throw new Error(`no socket ${index}`);
    return found;
  };
  return { transport, sockets, retries, socket };
}

describe('WebSocket transport', () => {
  it('connects to the given URL at once', () => {
    const { sockets } = setup();
    expect(sockets.map((socket) => socket.url)).toEqual(['ws://station.test/ws/pos?token=ab12']);
  });

  it('queues invokes made before the socket opens and sends them in order on open', () => {
    const { transport, socket } = setup();
    void transport.invoke('listCatalog', {});
    void transport.invoke('startPayment', { lines: [{ sku: 'A', quantity: 1 }] });
    expect(socket().sent).toEqual([]);

    socket().open();
    expect(socket().sent).toEqual([
      { type: 'invoke', id: 1, method: 'listCatalog', input: {} },
      { type: 'invoke', id: 2, method: 'startPayment', input: { lines: [{ sku: 'A', quantity: 1 }] } },
    ]);
  });

  it('matches results to invokes by id, whatever order they come back in', async () => {
    const { transport, socket } = setup();
    socket().open();
    const first = transport.invoke('listCatalog', {});
    const second = transport.invoke('listDevices', {});
    socket().receive({ type: 'result', id: 2, result: ok(['devices']) });
    socket().receive({ type: 'result', id: 1, result: fail('busy', 'later') });
    await expect(second).resolves.toEqual(ok(['devices']));
    await expect(first).resolves.toEqual(fail('busy', 'later'));
  });

  it('fans events out to the listeners of that event only', () => {
    const { transport, socket } = setup();
    socket().open();
    const progress: unknown[] = [];
    const devices: unknown[] = [];
    transport.subscribe('paymentProgress', (payload) => progress.push(['a', payload]));
    const unsubscribeB = transport.subscribe('paymentProgress', (payload) => progress.push(['b', payload]));
    transport.subscribe('deviceStatus', (payload) => devices.push(payload));

    socket().receive({ type: 'event', event: 'paymentProgress', payload: { step: 'reading' } });
    unsubscribeB();
    socket().receive({ type: 'event', event: 'paymentProgress', payload: { step: 'enter_pin' } });
    socket().receive({ type: 'event', event: 'receiptPrinted', payload: {} });

    expect(progress).toEqual([
      ['a', { step: 'reading' }],
      ['b', { step: 'reading' }],
      ['a', { step: 'enter_pin' }],
    ]);
    expect(devices).toEqual([]);
  });

  it('keeps delivering to other listeners when one throws', () => {
    const { transport, socket } = setup();
    socket().open();
    const seen: unknown[] = [];
    const originalError = console.error;
    console.error = () => undefined;
    try {
      transport.subscribe('deviceStatus', () => {
        throw new Error('broken listener');
      });
      transport.subscribe('deviceStatus', (payload) => seen.push(payload));
      socket().receive({ type: 'event', event: 'deviceStatus', payload: 'ready' });
    } finally {
      console.error = originalError;
    }
    expect(seen).toEqual(['ready']);
  });

  it('resolves every outstanding invoke as unavailable when the socket closes', async () => {
    const { transport, socket } = setup();
    socket().open();
    const sent = transport.invoke('listCatalog', {});
    socket().drop();
    await expect(sent).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('resolves invokes still queued when the connection attempt fails', async () => {
    const { transport, socket } = setup();
    const queued = transport.invoke('listCatalog', {});
    socket().drop();
    await expect(queued).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('answers at once while waiting to reconnect', async () => {
    const { transport, socket } = setup();
    socket().open();
    socket().drop();
    await expect(transport.invoke('listCatalog', {})).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(socket().sent).toEqual([]);
  });

  it('reconnects with a doubling delay, capped, and resets it once connected', () => {
    const { sockets, retries, socket } = setup();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      socket().drop();
      const next = retries.shift();
      if (!next) throw new Error('no retry scheduled');
      delays.push(next.delayMs);
      next.retry();
    }
    expect(delays[0]).toBe(RECONNECT_INITIAL_DELAY_MS);
    expect(delays[1]).toBe(RECONNECT_INITIAL_DELAY_MS * 2);
    expect(Math.max(...delays)).toBe(RECONNECT_MAX_DELAY_MS);
    expect(sockets).toHaveLength(9);

    socket().open();
    socket().drop();
    expect(retries.shift()?.delayMs).toBe(RECONNECT_INITIAL_DELAY_MS);
  });

  it('keeps event listeners across a reconnect', () => {
    const { transport, retries, socket } = setup();
    const seen: unknown[] = [];
    transport.subscribe('pinPadDisplay', (payload) => seen.push(payload));
    socket().open();
    socket().drop();
    retries.shift()?.retry();
    socket().open();
    socket().receive({ type: 'event', event: 'pinPadDisplay', payload: { pinDigits: 2 } });
    expect(seen).toEqual([{ pinDigits: 2 }]);
  });

  it('sends invokes made after a reconnect on the new socket', async () => {
    const { transport, retries, socket } = setup();
    socket().open();
    socket().drop();
    retries.shift()?.retry();
    const call = transport.invoke('listDevices', {});
    socket().open();
    expect(socket().sent).toEqual([{ type: 'invoke', id: 1, method: 'listDevices', input: {} }]);
    socket().receive({ type: 'result', id: 1, result: ok([]) });
    await expect(call).resolves.toEqual(ok([]));
  });

  it('drops malformed frames and answers a malformed result as an internal error', async () => {
    const { transport, socket } = setup();
    socket().open();
    const originalWarn = console.warn;
    console.warn = () => undefined;
    try {
      const call = transport.invoke('listCatalog', {});
      socket().receive('not json');
      socket().receive({ type: 'mystery' });
      socket().receive({ type: 'result', id: 99, result: ok(1) });
      socket().receive({ type: 'result', id: 1, result: { ok: false, error: { code: 'teapot', message: 'x' } } });
      await expect(call).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    } finally {
      console.warn = originalWarn;
    }
  });
});
