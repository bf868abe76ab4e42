// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import { simulatorContract } from '../../common/ipc/simulator-contract.ts';
import { createBrowserApi, stationSocketUrl, type BrowserEnvironment } from './browser-api.ts';
import type { SocketLike } from './ws-transport.ts';

function environment(hash: string) {
  const opened: string[] = [];
  const sent: string[] = [];
  const env: BrowserEnvironment = {
    location: { protocol: 'http:', host: 'station.local:8080', hash, pathname: '/index.html', search: '' },
    history: { state: null, replaceState: () => undefined },
    openSocket: (url): SocketLike => {
      opened.push(url);
      return { send: (data) => void sent.push(data), onopen: null, onmessage: null, onclose: null };
    },
  };
  return { env, opened, sent };
}

describe('browser API', () => {
  it('uses /ws/<contract name> on the page origin with the token as a query parameter', () => {
    expect(stationSocketUrl(checkoutContract, { protocol: 'http:', host: 'station.local:8080' }, 'beef')).toBe('ws://station.local:8080/ws/pos?token=beef');
    expect(stationSocketUrl(simulatorContract, { protocol: 'https:', host: 'till' }, 'beef')).toBe('wss://till/ws/sim?token=beef');
  });

  it('exposes the contract methods and listeners, carried over the socket', () => {
    const { env, opened } = environment('#token=beef');
    const api = createBrowserApi(checkoutContract, env);
    expect(opened).toEqual(['ws://station.local:8080/ws/pos?token=beef']);
    // Every method by its name, every event as on<Event>: nothing more, nothing less.
    const events = Object.keys(checkoutContract.events).map((event) => `on${event[0]?.toUpperCase()}${event.slice(1)}`);
    expect(Object.keys(api).sort()).toEqual([...Object.keys(checkoutContract.methods), ...events].sort());
    expect(Object.keys(api)).toEqual(expect.arrayContaining(['startCardTender', 'reprintReceipt', 'onDeviceStatus', 'onReceiptIssue']));
  });

  it('explains a missing token instead of connecting', async () => {
    const { env, opened } = environment('');
    const api = createBrowserApi(simulatorContract, env);
    expect(opened).toEqual([]);
    const result = await api.listTestCards({});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/token/);
  });
});
