/** The browser target's WebSocket bridge: who may connect, and what a connection can do. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { simulatorContract, type VirtualDevices } from '../../common/ipc/simulator-contract.ts';
import { createDispatcher } from '../ipc/dispatcher.ts';
import { EventBus } from '../ipc/event-bus.ts';
import { startStationServer, type RunningStationServer } from './station-server.ts';
import { judgeUpgrade } from './ws-bridge.ts';

const contracts = { sim: {} as never };
const options = { token: 'a'.repeat(64), allowedOrigins: ['http://127.0.0.1:4000'], contracts };
const request = (url: string, headers: Record<string, string>) => ({ url, headers: { host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000', ...headers } });

describe('WebSocket upgrade checks', () => {
  it('accepts our origin, our host, the token and a known contract', () => {
    expect(judgeUpgrade(request(`/ws/sim?token=${'a'.repeat(64)}`, {}), options)).toEqual({ ok: true, contract: 'sim' });
  });

  it.each([
    ['no token', '/ws/sim', {}, 403],
    ['a wrong token', `/ws/sim?token=${'b'.repeat(64)}`, {}, 403],
    ['a short token', '/ws/sim?token=aaaa', {}, 403],
    ['a foreign origin', `/ws/sim?token=${'a'.repeat(64)}`, { origin: 'https://evil.example' }, 403],
    ['no origin', `/ws/sim?token=${'a'.repeat(64)}`, { origin: '' }, 403],
    ['a rebinding host', `/ws/sim?token=${'a'.repeat(64)}`, { host: 'evil.example:4000' }, 403],
    ['an unknown contract', `/ws/admin?token=${'a'.repeat(64)}`, {}, 404],
    ['a target that does not parse', 'http://[', {}, 400],
  ])('refuses %s', (_what, url, headers, status) => {
    expect(judgeUpgrade(request(url, headers), options)).toMatchObject({ ok: false, status });
  });
});

/** The panel's device controls, which these tests do not exercise. */
const idlePrinter: VirtualDevices = { devices: [], printer: { paperOut: false, paperNearEnd: false, coverOpen: false, unplugDuringNextReceipt: false } };
const deviceControls = {
  expirePinEntry: () => ({ expired: false }),
  getVirtualDevices: () => idlePrinter,
  setDevicePlugged: () => idlePrinter,
  setPrinterCondition: () => idlePrinter,
  unplugPrinterDuringNextReceipt: () => idlePrinter,
};

describe('WebSocket bridge end to end', () => {
  let server: RunningStationServer | undefined;
  afterEach(async () => server?.close());

  async function start() {
    const rendererDir = mkdtempSync(join(tmpdir(), 'renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
    const events = new EventBus(simulatorContract);
    const dispatch = createDispatcher(
      simulatorContract,
      {
        listTestCards: () => [],
        swipeCard: () => ({ swiped: true }),
        pressPinPadKey: ({ key }) => ({ accepted: key === 'enter' }),
        ...deviceControls,
      },
      () => undefined,
    );
    server = await startStationServer({ rendererDir, contracts: { sim: { dispatch, events } }, log: () => undefined });
    const token = new URL(server.checkoutUrl).hash.slice('#token='.length);
    return { server, token, events };
  }

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

  it('validates invokes with the contract, answers by id, and pushes events', async () => {
    const { server, token, events } = await start();
    const socket = await connect(`${server.origin.replace('http', 'ws')}/ws/sim?token=${token}`, server.origin);
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
    const { server, token } = await start();
    const socket = await connect(`${server.origin.replace('http', 'ws')}/ws/sim?token=${token}`, server.origin);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('{not json');
    expect(await closed).toBe(1008);
  });

  it('refuses a page from another origin even with the right token', async () => {
    const { server, token } = await start();
    await expect(connect(`${server.origin.replace('http', 'ws')}/ws/sim?token=${token}`, 'https://evil.example')).rejects.toThrow('HTTP 403');
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
});
