/** The single-instance logic with a fake Electron app: it cannot run here, the real one can. */
import { describe, expect, it, vi } from 'vitest';
import { claimSingleInstance, useDataDir, type FocusableWindow, type SingleInstanceApp } from './single-instance.ts';

/** A fake app with the one behaviour that matters: the lock is per userData path, first come first served. */
function fakeApps() {
  const locked = new Set<string>();
  const make = () => {
    const listeners: (() => void)[] = [];
    const calls: string[] = [];
    let userData = '/home/cashier/.config/POS Station';
    const app: SingleInstanceApp & { secondLaunch(): void } = {
      setPath: (_name, path) => {
        calls.push(`setPath ${path}`);
        userData = path;
      },
      getPath: () => userData,
      requestSingleInstanceLock: () => {
        calls.push(`requestSingleInstanceLock ${userData}`);
        if (locked.has(userData)) return false;
        locked.add(userData);
        return true;
      },
      on: (_event, listener) => listeners.push(listener),
      secondLaunch: () => listeners.forEach((listener) => listener()),
    };
    return { app, calls };
  };
  return make;
}

function fakeWindow(minimized: boolean): FocusableWindow & { calls: string[] } {
  const calls: string[] = [];
  return { calls, isDestroyed: () => false, isMinimized: () => minimized, restore: () => calls.push('restore'), show: () => calls.push('show'), focus: () => calls.push('focus') };
}

describe('single instance', () => {
  it('sets userData from POS_DATA_DIR before it asks for the lock, which is keyed on it', () => {
    const { app, calls } = fakeApps()();
    expect(useDataDir(app, { POS_DATA_DIR: '/srv/pos/till-1' })).toBe('/srv/pos/till-1');
    expect(claimSingleInstance(app, () => undefined)).toBe(true);
    expect(calls).toEqual(['setPath /srv/pos/till-1', 'requestSingleInstanceLock /srv/pos/till-1']);
  });

  it('keeps userData as Electron has it when POS_DATA_DIR is not set', () => {
    const { app, calls } = fakeApps()();
    expect(useDataDir(app, {})).toBe('/home/cashier/.config/POS Station');
    expect(calls).toEqual([]);
  });

  it('refuses a second launch on the same directory, which hands over to the first: its checkout window comes forward', () => {
    const launch = fakeApps();
    const first = launch();
    const checkout = fakeWindow(true);
    useDataDir(first.app, { POS_DATA_DIR: '/srv/pos/till-1' });
    expect(claimSingleInstance(first.app, () => checkout)).toBe(true);

    const second = launch();
    useDataDir(second.app, { POS_DATA_DIR: '/srv/pos/till-1' });
    expect(claimSingleInstance(second.app, () => undefined)).toBe(false);
    first.app.secondLaunch();
    expect(checkout.calls).toEqual(['restore', 'show', 'focus']);
  });

  it('lets a launch on another directory run beside the first', () => {
    const launch = fakeApps();
    const first = launch();
    useDataDir(first.app, { POS_DATA_DIR: '/srv/pos/till-1' });
    claimSingleInstance(first.app, () => undefined);
    const other = launch();
    useDataDir(other.app, { POS_DATA_DIR: '/srv/pos/till-2' });
    expect(claimSingleInstance(other.app, () => undefined)).toBe(true);
  });

  it('does nothing for a hand-over while no window exists yet, or after it closed', () => {
    const { app } = fakeApps()();
    const closed = { ...fakeWindow(false), isDestroyed: () => true };
    const focus = vi.spyOn(closed, 'focus');
    let window: FocusableWindow | undefined;
    claimSingleInstance(app, () => window);
    app.secondLaunch();
    window = closed;
    app.secondLaunch();
    expect(focus).not.toHaveBeenCalled();
  });
});
