/**
 * The preload exposes exactly the contract's named methods and event listeners — no ipcRenderer,
 * no generic invoke — and each method goes to its own channel. Electron itself is replaced by a
 * recording double, so this runs where the Electron binary does not.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { checkoutContract } from '../common/ipc/checkout-contract.ts';
import { simulatorContract } from '../common/ipc/simulator-contract.ts';

const exposed = new Map<string, Record<string, unknown>>();
const invoke = vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } }));
const listeners = new Map<string, (event: unknown, payload: unknown) => void>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => exposed.set(name, api) },
  ipcRenderer: {
    invoke,
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => listeners.set(channel, listener),
    removeListener: (channel: string) => listeners.delete(channel),
  },
}));

beforeEach(() => {
  exposed.clear();
  listeners.clear();
  vi.resetModules();
});

describe('preloads', () => {
  it('expose window.pos with the checkout contract only', async () => {
    await import('./checkout-preload.ts');
    const api = exposed.get('pos') ?? {};
    const expected = [...Object.keys(checkoutContract.methods), ...Object.keys(checkoutContract.events).map((event) => `on${event[0]?.toUpperCase()}${event.slice(1)}`)];
    expect(Object.keys(api).sort()).toEqual(expected.sort());
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.values(api).every((value) => typeof value === 'function')).toBe(true);
    expect([...exposed.keys()]).toEqual(['pos']);
  });

  it('send each method on its own named channel, and deliver events to listeners', async () => {
    await import('./checkout-preload.ts');
    const api = exposed.get('pos') as { listCatalog: (input: unknown) => Promise<unknown>; onDeviceStatus: (listener: (payload: unknown) => void) => () => void };
    expect(await api.listCatalog({})).toEqual({ ok: true, value: { channel: 'pos:listCatalog', input: {} } });
    const seen: unknown[] = [];
    const stop = api.onDeviceStatus((payload) => seen.push(payload));
    listeners.get('pos:event:deviceStatus')?.({}, { device: 'printer' });
    stop();
    expect(listeners.has('pos:event:deviceStatus')).toBe(false);
    expect(seen).toEqual([{ device: 'printer' }]);
  });

  it('expose window.posSimulator with the simulator contract only', async () => {
    await import('./simulator-preload.ts');
    expect([...exposed.keys()]).toEqual(['posSimulator']);
    expect(Object.keys(exposed.get('posSimulator') ?? {})).toEqual(expect.arrayContaining(Object.keys(simulatorContract.methods)));
    expect(Object.keys(exposed.get('posSimulator') ?? {})).not.toContain('invoke');
  });
});
