/**
 * The browser target's WebSocket bridge: who may connect to which page's socket, what a connection
 * can do, and that nothing a client does takes the server down. The frame-level fuzz against the
 * whole station is test/e2e/station-server-fuzz.spec.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { PATIENT_WAIT_MS } from '../../test/support/patience.ts';
import { until } from '../../test/support/until.ts';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import { displayContract } from '../../common/ipc/display-contract.ts';
import { simulatorContract, type VirtualDevices } from '../../common/ipc/simulator-contract.ts';
import { DEFAULT_DEVICES_CONFIG } from '../config/device-config.ts';
import { createDispatcher } from '../ipc/dispatcher.ts';
import { EventBus } from '../ipc/event-bus.ts';
import { page, stationPages, type ServedContract } from '../station/station-pages.ts';
import { startStationServer, type RunningStationServer } from './station-server.ts';
import { judgeUpgrade, MAX_CALLS_IN_FLIGHT, MAX_CONNECTIONS_PER_PAGE, MAX_MESSAGE_BYTES, type BridgedPage } from './ws-bridge.ts';

const served = {} as ServedContract;
const pages: BridgedPage[] = [
  { contract: 'pos', token: 'a'.repeat(64), served },
  { contract: 'sim', token: 'b'.repeat(64), served },
];
const options = { pages, allowedOrigins: ['http://127.0.0.1:4000'] };
const request = (url: string, headers: Record<string, string>) => ({ url, headers: { host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000', ...headers } });

describe('WebSocket upgrade checks', () => {
  it("accepts a page's own socket with that page's token, from our origin and host", () => {
    expect(judgeUpgrade(request(`/ws/pos?token=${'a'.repeat(64)}`, {}), options)).toEqual({ ok: true, page: pages[0] });
    expect(judgeUpgrade(request(`/ws/sim?token=${'b'.repeat(64)}`, {}), options)).toEqual({ ok: true, page: pages[1] });
  });

  it.each([
    ['no token', '/ws/sim', {}, 403],
    ['a wrong token', `/ws/sim?token=${'c'.repeat(64)}`, {}, 403],
    ["the checkout's token at the simulator's socket", `/ws/sim?token=${'a'.repeat(64)}`, {}, 403],
    ["the simulator's token at the checkout's socket", `/ws/pos?token=${'b'.repeat(64)}`, {}, 403],
    ['a short token', '/ws/sim?token=bbbb', {}, 403],
    ['a foreign origin', `/ws/sim?token=${'b'.repeat(64)}`, { origin: 'https://evil.example' }, 403],
    ['no origin', `/ws/sim?token=${'b'.repeat(64)}`, { origin: '' }, 403],
    ['a rebinding host', `/ws/sim?token=${'b'.repeat(64)}`, { host: 'evil.example:4000' }, 403],
    ['an unknown contract', `/ws/admin?token=${'a'.repeat(64)}`, {}, 404],
    ['a target that does not parse', 'http://[', {}, 400],
  ])('refuses %s', (_what, url, headers, status) => {
    expect(judgeUpgrade(request(url, headers), options)).toMatchObject({ ok: false, status });
  });
});

/** The panel's device controls, which these tests do not exercise. */
const idlePrinter: VirtualDevices = { devices: [], printer: { paperOut: false, paperNearEnd: false, coverOpen: false, drawerOpen: false, unplugDuringNextReceipt: false }, chipReader: {} };
const simulatorHandlers = {
  listTestCards: () => [],
  swipeCard: () => ({ swiped: true }),
  insertChipCard: () => ({ inserted: true }),
  tapChipCard: () => ({ tapped: true }),
  removeChipCard: () => idlePrinter,
  pressPinPadKey: ({ key }: { key: string }) => ({ accepted: key === 'enter' }),
  expirePinEntry: () => ({ expired: false }),
  getVirtualDevices: () => idlePrinter,
  setDevicePlugged: () => idlePrinter,
  setPrinterCondition: () => idlePrinter,
  unplugPrinterDuringNextReceipt: () => idlePrinter,
  listScanCodes: () => ({ items: [], unknownCode: '6999999999994' }),
  scanBarcode: () => ({ scanned: true }),
  closeDrawer: () => idlePrinter,
  listWallets: () => [],
  phoneScan: () => ({ problem: 'no phone' }),
  phonePay: () => ({ problem: 'no phone' }),
  phonePaymentCode: () => ({ problem: 'no phone' }),
  phoneConfirm: () => ({ problem: 'no phone' }),
};

describe('WebSocket bridge end to end', () => {
  let server: RunningStationServer | undefined;
  afterEach(async () => server?.close());

  function rendererDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'renderer-'));
    mkdirSync(join(dir, 'assets'));
    for (const asset of ['index.js', 'simulator.js', 'display.js', 'shared.js']) writeFileSync(join(dir, 'assets', asset), '');
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./assets/index.js"></script><link rel="modulepreload" href="./assets/shared.js">');
    writeFileSync(join(dir, 'simulator.html'), '<!doctype html><script type="module" src="./assets/simulator.js"></script><link rel="modulepreload" href="./assets/shared.js">');
    writeFileSync(join(dir, 'display.html'), '<!doctype html><script type="module" src="./assets/display.js"></script><link rel="modulepreload" href="./assets/shared.js">');
    return dir;
  }

  /** A station server over the real page table, with the simulator's contract served for real and a checkout that is not exercised. */
  async function start(mode: 'virtual' | 'usb' = 'virtual') {
    const events = new EventBus(simulatorContract);
    const simulator = { dispatch: createDispatcher(simulatorContract, simulatorHandlers, () => undefined), events };
    const checkout = { dispatch: () => Promise.resolve({ ok: true as const, value: 'checkout' }), events: new EventBus(checkoutContract) };
    const displayEvents = new EventBus(displayContract, { view: () => 'screen' });
    // A display whose dispatcher would answer anything: the page table must refuse before it is asked.
    const display = { dispatch: () => Promise.resolve({ ok: true as const, value: 'answered' }), events: displayEvents };
    const log: string[] = [];
    server = await startStationServer({
      rendererDir: rendererDir(),
      pages: stationPages({ checkout, simulator, display } as never, { devices: { ...DEFAULT_DEVICES_CONFIG, mode } }),
      log: (line) => log.push(line),
    });
    return { server, events, displayEvents, log };
  }

  const tokenOf = (url: string | undefined) => new URL(url ?? 'http://x/').hash.slice('#token='.length);
  const socketUrl = (server: RunningStationServer, contract: string, token: string) => `${server.origin.replace('http', 'ws')}/ws/${contract}?token=${token}`;

  function connect(url: string, origin: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { origin });
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    });
  }

  function next(socket: WebSocket): Promise<unknown> {
    return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
  }

  function closeCode(socket: WebSocket): Promise<number> {
    return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
  }

  it('gives every page its own link and token', async () => {
    const { server } = await start();
    expect(server.pages.map(({ path, contract, label }) => ({ path, contract, label }))).toEqual([
      { path: 'index.html', contract: 'pos', label: 'checkout' },
      { path: 'display.html', contract: 'display', label: 'customer display' },
      { path: 'simulator.html', contract: 'sim', label: 'simulated devices' },
    ]);
    expect(server.urlOf('index.html')).toMatch(new RegExp(`^${server.origin}/#token=[0-9a-f]{64}$`));
    expect(server.urlOf('simulator.html')).toMatch(new RegExp(`^${server.origin}/simulator\\.html#token=[0-9a-f]{64}$`));
    expect(tokenOf(server.urlOf('index.html'))).not.toBe(tokenOf(server.urlOf('simulator.html')));
  });

  it("opens each socket with its own page's token only", async () => {
    const { server } = await start();
    const checkoutToken = tokenOf(server.urlOf('index.html'));
    const simulatorToken = tokenOf(server.urlOf('simulator.html'));
    await expect(connect(socketUrl(server, 'sim', checkoutToken), server.origin)).rejects.toThrow('HTTP 403');
    await expect(connect(socketUrl(server, 'pos', simulatorToken), server.origin)).rejects.toThrow('HTTP 403');
    (await connect(socketUrl(server, 'pos', checkoutToken), server.origin)).close();
    (await connect(socketUrl(server, 'sim', simulatorToken), server.origin)).close();
  });

  it('serves no simulated-devices page, script or socket when the station runs real devices only', async () => {
    const { server } = await start('usb');
    expect(server.pages.map((served) => served.path)).toEqual(['index.html', 'display.html']);
    expect(server.urlOf('simulator.html')).toBeUndefined();
    expect((await fetch(`${server.origin}/simulator.html`)).status).toBe(404);
    expect((await fetch(`${server.origin}/assets/simulator.js`)).status).toBe(404);
    expect((await fetch(`${server.origin}/assets/shared.js`)).status).toBe(200);
    expect((await fetch(`${server.origin}/assets/index.js`)).status).toBe(200);
    const checkoutToken = tokenOf(server.urlOf('index.html'));
    await expect(connect(socketUrl(server, 'sim', checkoutToken), server.origin)).rejects.toThrow('HTTP 404');
  });

  it("pushes the customer display its screen and refuses every call on its socket; its token opens no other page's socket", async () => {
    const { server, displayEvents } = await start();
    const displayToken = tokenOf(server.urlOf('display.html'));
    await expect(connect(socketUrl(server, 'pos', displayToken), server.origin)).rejects.toThrow('HTTP 403');
    await expect(connect(socketUrl(server, 'sim', displayToken), server.origin)).rejects.toThrow('HTTP 403');
    const socket = await connect(socketUrl(server, 'display', displayToken), server.origin);
    const view = { screen: 'idle' as const, merchantName: { 'zh-CN': '店', en: 'Shop' }, currency: 'CNY' as const };
    const pushed = next(socket);
    displayEvents.emit('view', view);
    expect(await pushed).toEqual({ type: 'event', event: 'view', payload: view });
    for (const [id, method] of [[1, 'addItem'], [2, 'cancelSale'], [3, 'view']] as const) {
      socket.send(JSON.stringify({ type: 'invoke', id, method, input: { sku: 'X', quantity: 1 } }));
      expect(await next(socket)).toMatchObject({ id, result: { ok: false, error: { code: 'forbidden' } } });
    }
    socket.close();
  });

  it('validates invokes with the contract, answers by id, and pushes events', async () => {
    const { server, events } = await start();
    const socket = await connect(socketUrl(server, 'sim', tokenOf(server.urlOf('simulator.html'))), server.origin);
    socket.send(JSON.stringify({ type: 'invoke', id: 1, method: 'pressPinPadKey', input: { key: 'enter' } }));
    expect(await next(socket)).toEqual({ type: 'result', id: 1, result: { ok: true, value: { accepted: true } } });
    socket.send(JSON.stringify({ type: 'invoke', id: 2, method: 'pressPinPadKey', input: { key: 'x' } }));
    expect(await next(socket)).toMatchObject({ id: 2, result: { ok: false, error: { code: 'invalid_input' } } });
    socket.send(JSON.stringify({ type: 'invoke', id: 3, method: 'constructor', input: {} }));
    expect(await next(socket)).toMatchObject({ id: 3, result: { ok: false, error: { code: 'unknown_method' } } });
    const pushed = next(socket);
    events.emit('pinPadDisplay', { lines: ['PIN'], pinDigits: 2, awaitingPin: true });
    expect(await pushed).toEqual({ type: 'event', event: 'pinPadDisplay', payload: { lines: ['PIN'], pinDigits: 2, awaitingPin: true } });
    socket.close();
  });

  it('closes a connection that sends something other than an invoke', async () => {
    const { server } = await start();
    const socket = await connect(socketUrl(server, 'sim', tokenOf(server.urlOf('simulator.html'))), server.origin);
    const closed = closeCode(socket);
    socket.send('{not json');
    expect(await closed).toBe(1008);
  });

  it('closes a connection whose message is too big with 1009, and goes on serving', async () => {
    const { server, log } = await start();
    const token = tokenOf(server.urlOf('simulator.html'));
    const socket = await connect(socketUrl(server, 'sim', token), server.origin);
    socket.on('error', () => undefined);
    const closed = closeCode(socket);
    socket.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
    expect(await closed).toBe(1009);
    expect(log.some((line) => line.includes('Max payload size exceeded'))).toBe(true);
    const again = await connect(socketUrl(server, 'sim', token), server.origin);
    again.send(JSON.stringify({ type: 'invoke', id: 1, method: 'pressPinPadKey', input: { key: 'enter' } }));
    expect(await next(again)).toMatchObject({ id: 1, result: { ok: true } });
    again.close();
  });

  it('refuses a connection beyond the limit per page with 503, and a closed one frees its place', async () => {
    const { server } = await start();
    const url = socketUrl(server, 'pos', tokenOf(server.urlOf('index.html')));
    const sockets = await Promise.all(Array.from({ length: MAX_CONNECTIONS_PER_PAGE }, () => connect(url, server.origin)));
    expect(server.connections()).toEqual({ pos: MAX_CONNECTIONS_PER_PAGE, display: 0, sim: 0 });
    await expect(connect(url, server.origin)).rejects.toThrow('HTTP 503');
    const first = sockets.shift() as WebSocket;
    const closed = closeCode(first);
    first.close();
    await closed;
    // The server counts a connection out on its own 'close', which it does not announce: poll, patiently.
    await vi.waitUntil(() => server.connections().pos === MAX_CONNECTIONS_PER_PAGE - 1, { timeout: PATIENT_WAIT_MS });
    sockets.push(await connect(url, server.origin));
    for (const socket of sockets) socket.close();
    await vi.waitUntil(() => server.connections().pos === 0, { timeout: PATIENT_WAIT_MS });
  });

  it(`answers calls beyond ${MAX_CALLS_IN_FLIGHT} in flight on one connection with busy, without dispatching them`, async () => {
    const held: (() => void)[] = [];
    const slow = page({
      path: 'index.html',
      label: 'checkout',
      contract: checkoutContract,
      served: { dispatch: () => new Promise((resolve) => held.push(() => resolve({ ok: true, value: 'done' }))), events: new EventBus(checkoutContract) },
      changesState: true,
    });
    server = await startStationServer({ rendererDir: rendererDir(), pages: [slow], log: () => undefined });
    const socket = await connect(socketUrl(server, 'pos', tokenOf(server.urlOf('index.html'))), server.origin);
    const answers: { id: number; result: { ok: boolean; error?: { code: string } } }[] = [];
    socket.on('message', (data) => answers.push(JSON.parse(data.toString())));
    const answered = (count: number) => until(() => expect(answers).toHaveLength(count), (changed) => (socket.on('message', changed), () => socket.off('message', changed)));
    for (let id = 1; id <= MAX_CALLS_IN_FLIGHT + 5; id++) socket.send(JSON.stringify({ type: 'invoke', id, method: 'listCatalog', input: {} }));
    await answered(5);
    expect(held).toHaveLength(MAX_CALLS_IN_FLIGHT);
    expect(answers.every((answer) => answer.id > MAX_CALLS_IN_FLIGHT && answer.result.error?.code === 'busy')).toBe(true);
    for (const release of held) release();
    await answered(MAX_CALLS_IN_FLIGHT + 5);
    socket.close();
  });

  it('drops a connection that stops answering pings', async () => {
    const quiet = page({ path: 'index.html', label: 'checkout', contract: checkoutContract, served: { dispatch: () => Promise.resolve({ ok: true, value: {} }), events: new EventBus(checkoutContract) }, changesState: true });
    server = await startStationServer({ rendererDir: rendererDir(), pages: [quiet], log: () => undefined, heartbeatMs: 20 });
    const socket = new WebSocket(socketUrl(server, 'pos', tokenOf(server.urlOf('index.html'))), { origin: server.origin, autoPong: false });
    socket.on('error', () => undefined);
    const closed = closeCode(socket);
    expect(await closed).toBe(1006);
  });

  it('refuses every call of a display-only page before any handler, and still pushes its events', async () => {
    const events = new EventBus(simulatorContract);
    let called = false;
    const readOnly = page({
      path: 'index.html',
      label: 'customer display',
      contract: simulatorContract,
      served: { dispatch: () => ((called = true), Promise.resolve({ ok: true as const, value: {} })), events },
      changesState: false,
    });
    server = await startStationServer({ rendererDir: rendererDir(), pages: [readOnly], log: () => undefined });
    const socket = await connect(socketUrl(server, 'sim', tokenOf(server.urlOf('index.html'))), server.origin);
    socket.send(JSON.stringify({ type: 'invoke', id: 1, method: 'pressPinPadKey', input: { key: 'enter' } }));
    expect(await next(socket)).toMatchObject({ id: 1, result: { ok: false, error: { code: 'forbidden' } } });
    expect(called).toBe(false);
    const pushed = next(socket);
    events.emit('pinPadDisplay', { lines: [], pinDigits: 0, awaitingPin: false });
    expect(await pushed).toMatchObject({ type: 'event', event: 'pinPadDisplay' });
    socket.close();
  });

  it('survives upgrades from a foreign origin, without a token, reset by the client, again and again', async () => {
    const { server } = await start();
    const { hostname: host, port } = new URL(server.origin);
    for (let attempt = 0; attempt < 20; attempt++) {
      await new Promise<void>((resolvePromise) => {
        const socket = netConnect({ host, port: Number(port) }, () => {
          socket.write(
            `GET /ws/pos HTTP/1.1\r\nHost: ${host}:${port}\r\nOrigin: https://evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
              'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
          );
          setImmediate(() => socket.resetAndDestroy());
        });
        socket.on('close', () => resolvePromise());
        socket.on('error', () => undefined);
      });
    }
    expect((await fetch(server.origin)).status).toBe(200);
  });

  it('answers a request target that does not parse with 400 and keeps serving', async () => {
    const { server } = await start();
    const { hostname: host, port } = new URL(server.origin);
    const raw = await new Promise<string>((resolvePromise, reject) => {
      const socket = netConnect({ host, port: Number(port) }, () => socket.end('GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('end', () => resolvePromise(answer));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(server.origin)).status).toBe(200);
  });

  it('serves pages with the CSP and refuses other methods', async () => {
    const { server } = await start();
    const page = await fetch(server.origin);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(server.origin, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${server.origin}/../../etc/passwd`)).status).toBe(404);
  });

  it('refuses to serve any file as a service worker script, and its CSP allows no workers', async () => {
    const { server } = await start();
    const asScript = await fetch(`${server.origin}/assets/index.js`, { headers: { 'Service-Worker': 'script' } });
    expect(asScript.status).toBe(403);
    expect(asScript.headers.get('content-security-policy')).toContain("worker-src 'none'");
    expect((await fetch(`${server.origin}/assets/index.js`)).status).toBe(200);
  });
});
