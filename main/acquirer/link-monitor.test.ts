/**
 * Network management against the real host over TCP, through a proxy a test can stall or cut.
 * The echo interval is injected short; nothing asserts on how long anything took.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinkState } from '../../common/acquirer.ts';
import { startHost, type RunningHost } from '../../bank/start-host.ts';
import { Journal } from '../journal/journal.ts';
import { startTcpProxy, type TcpProxy } from '../test-support/tcp-proxy.ts';
import { createAcquirerServices, type AcquirerServices } from './acquirer-services.ts';
import { linkSecurity, stationTlsDir } from './link-security.ts';
import { ECHO_IDLE_MS } from './link-monitor.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(options: { echoIdleMs?: number; reconnectBaseMs?: number; responseTimeoutMs?: number } = {}) {
  const hostLog: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'link-monitor-'));
  const host: RunningHost = await startHost({ dataDir: join(dataDir, 'bank'), port: 0, log: (line) => hostLog.push(line), enrolStation: { terminalId: 'POS00001', dir: stationTlsDir(dataDir) } });
  cleanups.push(() => host.close());
  const proxy: TcpProxy = await startTcpProxy({ host: host.host, port: host.port });
  cleanups.push(() => proxy.close());
  const journal = new Journal(':memory:');
  const acquirer: AcquirerServices = createAcquirerServices({
    endpoint: { host: '127.0.0.1', port: proxy.port, responseTimeoutMs: options.responseTimeoutMs ?? 2000 },
    security: linkSecurity({ transport: 'tls', dataDir, terminalId: 'POS00001' }),
    journal,
    terminalId: 'POS00001',
    merchantId: '898310048160001',
    log: () => undefined,
    echoIdleMs: options.echoIdleMs ?? 60_000,
    reconnectBaseMs: options.reconnectBaseMs ?? 100,
  });
  cleanups.push(async () => {
    await acquirer.stop();
    journal.close();
  });
  const states: LinkState[] = [];
  acquirer.onStatus((status) => {
    if (states.at(-1) !== status.state) states.push(status.state);
  });
  const count = (note: string) => hostLog.filter((line) => line.includes(' 0800 ') && line.includes(`(${note})`)).length;
  return { acquirer, proxy, states, count };
}

describe('link monitor', () => {
  it('echoes after ECHO_IDLE_MS (30 s by default) without a message from the host', () => {
    expect(ECHO_IDLE_MS).toBe(30_000);
  });

  it('signs on at start (0800 DE70 001): down → signing on → up', async () => {
    const { acquirer, states, count } = await setUp();
    acquirer.start();
    await vi.waitUntil(() => acquirer.monitor.state === 'up');
    expect(states).toEqual(['down', 'signing_on', 'up']);
    expect(count('sign-on')).toBe(1);
  });

  it('signs off (0800 DE70 002) when the station stops with the link up', async () => {
    const { acquirer, count } = await setUp();
    acquirer.start();
    await vi.waitUntil(() => acquirer.monitor.state === 'up');
    await acquirer.stop();
    expect(count('sign-off')).toBe(1);
  });

  it('sends an echo test (DE70 301) when the link has been idle, and stays up when it is answered', async () => {
    const { acquirer, states, count } = await setUp({ echoIdleMs: 100 });
    acquirer.start();
    await vi.waitUntil(() => count('echo test') >= 2, { timeout: 5000 });
    expect(acquirer.monitor.state).toBe('up');
    expect(states).toEqual(['down', 'signing_on', 'up']);
  });

  it('a missed echo takes the link down; it signs on again once the host answers', async () => {
    const { acquirer, proxy, states, count } = await setUp({ echoIdleMs: 100, responseTimeoutMs: 300 });
    acquirer.start();
    await vi.waitUntil(() => acquirer.monitor.state === 'up');
    proxy.stall();
    await vi.waitUntil(() => acquirer.monitor.state === 'down', { timeout: 5000 });
    proxy.resume();
    await vi.waitUntil(() => states.at(-1) === 'up' && count('sign-on') >= 2, { timeout: 10_000 });
    expect(states.slice(0, 4)).toEqual(['down', 'signing_on', 'up', 'down']);
  });

  it('a dropped connection takes the link down, and a request signs on at once instead of waiting for the retry timer', async () => {
    const { acquirer, proxy, states } = await setUp({ reconnectBaseMs: 600_000 });
    acquirer.start();
    await vi.waitUntil(() => acquirer.monitor.state === 'up');
    proxy.cut();
    await vi.waitUntil(() => acquirer.monitor.state === 'down');
    proxy.restore();
    expect(await acquirer.monitor.ensureUp()).toBe(true);
    expect(states).toEqual(['down', 'signing_on', 'up', 'down', 'signing_on', 'up']);
  });
});
