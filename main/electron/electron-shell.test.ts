/**
 * The Electron shell's wiring, with Electron replaced by a recording double so it runs without the
 * binary: every IPC call's sender is checked before its input, and every permission is denied.
 */
import { describe, expect, it, vi } from 'vitest';
import { simulatorContract } from '../../common/ipc/simulator-contract.ts';

const handlers = new Map<string, (event: unknown, input: unknown) => unknown>();
const sessionEvents = new Map<string, (...args: unknown[]) => void>();
const recorded: Record<string, (...args: unknown[]) => unknown> = {};

vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, handler: (event: unknown, input: unknown) => unknown) => handlers.set(channel, handler), removeHandler: (channel: string) => handlers.delete(channel) },
  app: { on: vi.fn() },
  shell: {},
}));

const { serveContractOverIpc } = await import('./ipc-registration.ts');
const { hardenSession } = await import('./session-hardening.ts');

const window = { id: 1, isDestroyed: () => false, webContents: { id: 7, send: vi.fn() } };
const event = (url: string | undefined, { mainFrame = true, sender = 7 } = {}) => ({
  sender: { id: sender },
  senderFrame: url === undefined ? null : { url, parent: mainFrame ? null : {} },
});

describe('IPC registration', () => {
  const dispatch = vi.fn(async (_method: unknown, _input: unknown) => ({ ok: true as const, value: { accepted: true } as unknown }));
  serveContractOverIpc(simulatorContract, { dispatch, events: { connect: () => () => undefined } }, window as never, 'app://station/simulator.html', () => undefined);

  it('registers one named channel per contract method', () => {
    expect([...handlers.keys()].sort()).toEqual(Object.keys(simulatorContract.methods).map((method) => `sim:${method}`).sort());
  });

  it('passes a call from its own window and page to the dispatcher', async () => {
    expect(await handlers.get('sim:pressPinPadKey')?.(event('app://station/simulator.html'), { key: '1' })).toEqual({ ok: true, value: { accepted: true } });
    expect(dispatch).toHaveBeenCalledWith('pressPinPadKey', { key: '1' });
  });

  it.each([
    ['the checkout page', event('app://station/index.html')],
    ['a subframe', event('app://station/simulator.html', { mainFrame: false })],
    ['another window', event('app://station/simulator.html', { sender: 8 })],
    ['a destroyed frame', event(undefined)],
    ['a remote page', event('https://example.com/simulator.html')],
  ])('refuses %s as forbidden, before validating anything', async (_what, from) => {
    dispatch.mockClear();
    expect(await handlers.get('sim:pressPinPadKey')?.(from, { key: '1' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(dispatch).not.toHaveBeenCalled();
  });
});

describe('session hardening', () => {
  const session = {
    setPermissionRequestHandler: (handler: (...args: unknown[]) => unknown) => (recorded.request = handler),
    setPermissionCheckHandler: (handler: (...args: unknown[]) => unknown) => (recorded.check = handler),
    setDevicePermissionHandler: (handler: (...args: unknown[]) => unknown) => (recorded.device = handler),
    setUSBProtectedClassesHandler: (handler: (...args: unknown[]) => unknown) => (recorded.protectedClasses = handler),
    on: (name: string, listener: (...args: unknown[]) => void) => sessionEvents.set(name, listener),
    webRequest: { onHeadersReceived: (handler: (...args: unknown[]) => unknown) => (recorded.headers = handler) },
  };
  hardenSession(session as never, false);

  it('denies every permission request and check, and all device access', () => {
    const callback = vi.fn();
    recorded.request?.({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(recorded.check?.({}, 'usb')).toBe(false);
    expect(recorded.device?.({ deviceType: 'usb' })).toBe(false);
    const preventDefault = vi.fn();
    const choose = vi.fn();
    sessionEvents.get('select-usb-device')?.({ preventDefault }, {}, choose);
    expect(preventDefault).toHaveBeenCalled();
    expect(choose).toHaveBeenCalledWith();
  });

  it('adds the strict CSP to every response', () => {
    const callback = vi.fn();
    recorded.headers?.({ responseHeaders: {} }, callback);
    const csp = (callback.mock.calls[0]?.[0] as { responseHeaders: Record<string, string[]> }).responseHeaders['Content-Security-Policy']?.[0] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
  });
});
