/** Kiosk mode with a fake window: full screen, no menu, closed only once a supervisor's approval is in (main/operators/kiosk-exit.ts checks it). */
import { describe, expect, it, vi } from 'vitest';
import { isKioskExitKeys, kioskRequested, lockKiosk, secondDisplay, type KeyInput, type KioskWindow } from './kiosk.ts';

function fakeWindow() {
  const calls: string[] = [];
  let onClose: ((event: { preventDefault(): void }) => void) | undefined;
  let onInput: ((event: { preventDefault(): void }, input: KeyInput) => void) | undefined;
  const window: KioskWindow = {
    setKiosk: (flag) => calls.push(`setKiosk ${flag}`),
    removeMenu: () => calls.push('removeMenu'),
    on: (_event, listener) => (onClose = listener),
    webContents: { on: (_event, listener) => (onInput = listener) },
  };
  /** Answers whether the window would close. */
  const tryClose = () => {
    let prevented = false;
    onClose?.({ preventDefault: () => (prevented = true) });
    return !prevented;
  };
  const press = (input: Partial<KeyInput>) => {
    let prevented = false;
    onInput?.({ preventDefault: () => (prevented = true) }, { type: 'keyDown', key: 'q', control: false, alt: false, shift: false, meta: false, ...input });
    return prevented;
  };
  return { window, calls, tryClose, press };
}

const EXIT = { control: true, alt: true, shift: true, key: 'Q' } as const;

describe('kiosk mode', () => {
  it('is on with the config key or the --kiosk flag', () => {
    expect(kioskRequested(['pos-station'], { kiosk: { enabled: false } })).toBe(false);
    expect(kioskRequested(['pos-station', '--kiosk'], { kiosk: { enabled: false } })).toBe(true);
    expect(kioskRequested(['pos-station'], { kiosk: { enabled: true } })).toBe(true);
  });

  it('makes the checkout full screen with no menu, and refuses to close it', () => {
    const { window, calls, tryClose } = fakeWindow();
    const log = vi.fn();
    const lock = lockKiosk(window, { requestExit: vi.fn(), quit: vi.fn(), log });
    expect(calls).toEqual(['setKiosk true', 'removeMenu']);
    expect(tryClose()).toBe(false);
    expect(lock.locked()).toBe(true);
    expect(log).toHaveBeenCalledWith('kiosk: the checkout stays open (a supervisor closes it: Ctrl+Alt+Shift+Q, then their id and PIN)');
  });

  it('asks the checkout for a supervisor on the documented key combination, and closes only when leave() says one approved', () => {
    const { window, tryClose, press } = fakeWindow();
    const quit = vi.fn();
    const requestExit = vi.fn();
    const lock = lockKiosk(window, { requestExit, quit, log: vi.fn() });
    expect(press({ key: 'q', control: true })).toBe(false);
    expect(requestExit).not.toHaveBeenCalled();

    // The keys never reach the page; they only ask. Nothing closes until the station has checked a supervisor.
    expect(press(EXIT)).toBe(true);
    expect(requestExit).toHaveBeenCalledTimes(1);
    expect(quit).not.toHaveBeenCalled();
    expect(tryClose()).toBe(false);

    lock.leave();
    expect(quit).toHaveBeenCalledTimes(1);
    expect(lock.locked()).toBe(false);
    expect(tryClose()).toBe(true);
  });

  it('lets the window close when the app quits for the operating system (log out, shut down)', () => {
    const { window, tryClose } = fakeWindow();
    const lock = lockKiosk(window, { requestExit: vi.fn(), quit: vi.fn(), log: vi.fn() });
    lock.allowClose();
    expect(tryClose()).toBe(true);
  });

  it('recognises only Ctrl+Alt+Shift+Q going down', () => {
    const key = (input: Partial<KeyInput>): KeyInput => ({ type: 'keyDown', key: 'q', control: true, alt: true, shift: true, meta: false, ...input });
    expect(isKioskExitKeys(key({}))).toBe(true);
    expect(isKioskExitKeys(key({ type: 'keyUp' }))).toBe(false);
    expect(isKioskExitKeys(key({ meta: true }))).toBe(false);
    expect(isKioskExitKeys(key({ alt: false }))).toBe(false);
    expect(isKioskExitKeys(key({ key: 'w' }))).toBe(false);
  });

  it('finds the second screen for the customer-facing window, when there is one', () => {
    const primary = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
    const customer = { id: 2, workArea: { x: 1920, y: 0, width: 800, height: 480 } };
    expect(secondDisplay([primary, customer], primary)).toBe(customer);
    expect(secondDisplay([primary], primary)).toBeUndefined();
  });
});
