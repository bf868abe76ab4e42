/** The managed-device lifecycle with a fake clock: connect, recover with capped backoff, unplug and replug. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VirtualCardReader } from '../card-reader/virtual-card-reader.ts';
import { UsbAccessError } from '../usb/claim-interface.ts';
import { UsbDisconnectedError, type MinimalUsbDevice } from '../usb/minimal-usb-device.ts';
import { RECOVERY_BACKOFF_MS } from './device-state-machine.ts';
import { ManagedDevice, type DeviceSession } from './managed-device.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A session whose run() ends when the test says so. */
function controllableSession() {
  let end: (error?: Error) => void = () => undefined;
  const session: DeviceSession & { closed: boolean } = {
    closed: false,
    run: () => new Promise<void>((resolve, reject) => (end = (error) => (error ? reject(error) : resolve()))),
    close: async () => {
      session.closed = true;
    },
  };
  return { session, fail: (error: Error) => end(error) };
}

function managed(open: (device: MinimalUsbDevice) => Promise<DeviceSession>) {
  const device = new ManagedDevice({ kind: 'cardReader', source: 'virtual', model: 'test reader', open });
  const states: string[] = [];
  device.onStatus((status) => states.push(status.state));
  return { device, states };
}

describe('managed device', () => {
  it('goes absent → connecting → ready when the driver opens', async () => {
    const { session } = controllableSession();
    const { device, states } = managed(async () => session);
    device.attach(new VirtualCardReader());
    await vi.waitFor(() => expect(device.machine.state).toBe('ready'));
    expect(states).toEqual(['connecting', 'ready']);
    expect(device.status()).toEqual({ device: 'cardReader', state: 'ready', source: 'virtual', model: 'test reader' });
  });

  it('recovers from a failed open with capped backoff, then connects', async () => {
    let attempts = 0;
    const { session } = controllableSession();
    const { device, states } = managed(async () => {
      attempts += 1;
      if (attempts <= 6) throw new Error('LIBUSB_ERROR_BUSY');
      return session;
    });
    device.attach(new VirtualCardReader());
    await vi.advanceTimersByTimeAsync(0);
    expect(device.machine.state).toBe('recovering');
    expect(device.status().detail).toBe('LIBUSB_ERROR_BUSY');
    for (const delay of [...RECOVERY_BACKOFF_MS, 8000]) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      const before = attempts;
      await vi.advanceTimersByTimeAsync(1);
      expect(attempts).toBe(before + 1);
    }
    expect(device.machine.state).toBe('ready');
    expect(states.filter((state) => state === 'recovering')).toHaveLength(6);
  });

  it('goes to fault, with the fix in its detail, on an access error and does not retry', async () => {
    let attempts = 0;
    const { device } = managed(async () => {
      attempts += 1;
      throw new UsbAccessError('No permission to open USB device 1209:7a01. Install the station udev rules');
    });
    device.attach(new VirtualCardReader());
    await vi.waitFor(() => expect(device.machine.state).toBe('fault'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(attempts).toBe(1);
    expect(device.status().detail).toMatch(/udev/);
  });

  it('goes disconnected when its session ends with an unplug, and is ready again after a replug', async () => {
    const sessions = [controllableSession(), controllableSession()];
    let opened = 0;
    const { device, states } = managed(async () => (sessions[opened++] as ReturnType<typeof controllableSession>).session);
    const reader = new VirtualCardReader();
    device.attach(reader);
    await vi.waitFor(() => expect(device.machine.state).toBe('ready'));
    sessions[0]?.fail(new UsbDisconnectedError('gone'));
    await vi.waitFor(() => expect(device.machine.state).toBe('disconnected'));
    expect(sessions[0]?.session.closed).toBe(true);
    device.attach(reader);
    await vi.waitFor(() => expect(device.machine.state).toBe('ready'));
    expect(states).toEqual(['connecting', 'ready', 'disconnected', 'connecting', 'ready']);
  });

  it('is busy while a job runs and ready after it, even when the job fails', async () => {
    const { session } = controllableSession();
    const { device } = managed(async () => session);
    device.attach(new VirtualCardReader());
    await vi.waitFor(() => expect(device.machine.state).toBe('ready'));
    const seen: string[] = [];
    await device.withJob(async () => seen.push(device.machine.state));
    await expect(device.withJob(async () => Promise.reject(new Error('paper jam')))).rejects.toThrow('paper jam');
    expect(seen).toEqual(['busy']);
    expect(device.machine.state).toBe('ready');
  });

  it('refuses a job while not ready', async () => {
    const { device } = managed(async () => controllableSession().session);
    await expect(device.withJob(async () => 1)).rejects.toThrow(/absent/);
  });

  it('hands the role to another device: the old session closes, the status names the new source and model', async () => {
    const first = controllableSession();
    const second = controllableSession();
    const sessions = [first.session, second.session];
    const { device, states } = managed(async () => sessions.shift() as DeviceSession);
    device.attach(new VirtualCardReader());
    await vi.waitFor(() => expect(device.machine.state).toBe('ready'));
    device.attach(new VirtualCardReader('USB-1'), { source: 'usb', model: 'MagTek Mini Swipe Reader (keyboard emulation)' });
    await vi.waitFor(() => expect(device.machine.state).toBe('ready'));
    expect(first.session.closed).toBe(true);
    expect(states).toEqual(['connecting', 'ready', 'connecting', 'ready']);
    expect(device.status()).toMatchObject({ source: 'usb', model: 'MagTek Mini Swipe Reader (keyboard emulation)' });
  });

  it('reports the device condition with its status, only when it changes, and forgets it on unplug', async () => {
    const { device } = managed(async () => controllableSession().session);
    const seen: (readonly string[] | undefined)[] = [];
    device.onStatus((status) => seen.push(status.alerts));
    device.attach(new VirtualCardReader());
    await vi.waitFor(() => expect(device.machine.state).toBe('ready'));
    device.setAlerts(['paper_out']);
    device.setAlerts(['paper_out']);
    device.setAlerts(['paper_near_end', 'cover_open']);
    expect(device.status().alerts).toEqual(['paper_near_end', 'cover_open']);
    device.detach();
    expect(device.status().alerts).toBeUndefined();
    expect(seen).toEqual([undefined, undefined, ['paper_out'], ['paper_near_end', 'cover_open'], undefined]);
  });

  it('says what it waits for while nothing is attached, and ignores that once a device is', async () => {
    const { device } = managed(async () => controllableSession().session);
    device.waitFor('no USB card reader found', { source: 'usb', model: 'USB card reader' });
    expect(device.status()).toEqual({ device: 'cardReader', state: 'absent', source: 'usb', model: 'USB card reader', detail: 'no USB card reader found' });
    device.attach(new VirtualCardReader());
    await vi.waitFor(() => expect(device.machine.state).toBe('ready'));
    device.waitFor('no USB card reader found');
    expect(device.machine.state).toBe('ready');
  });
});
