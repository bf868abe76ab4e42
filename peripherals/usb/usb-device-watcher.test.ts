/** USB discovery and hot-plug against a fake of usb v3's WebUSB EventTarget: matching, attach, detach, re-attach. */
import { describe, expect, it, vi } from 'vitest';
import type { DeviceKind } from '../../common/devices.ts';
import { matchUsbDevice, pickDevice, type UsbMatchRule } from './device-match.ts';
import { describedDevice, FakeWebUsb } from './fake-web-usb.ts';
import { sameUsbDevice, type UsbBusDevice } from './usb-bus.ts';
import { UsbDeviceWatcher } from './usb-device-watcher.ts';

const RULES: readonly UsbMatchRule[] = [
  { kind: 'cardReader', name: 'MagTek HID', vendorId: 0x0801, productId: 0x0002 },
  { kind: 'pinPad', name: 'Config PIN pad', vendorId: 0x1234, productId: 0x0001 },
  { kind: 'printer', name: 'Epson TM-T20III', vendorId: 0x04b8, productId: 0x0e28 },
  { kind: 'printer', name: 'USB printer', interfaceClass: 7 },
];

const magtek = (serial: string) => describedDevice({ vendorId: 0x0801, productId: 0x0002, serialNumber: serial, interfaceClasses: [3] });
const anyPrinter = (serial: string, productName = 'POS-80') => describedDevice({ vendorId: 0x0416, productId: 0x5011, serialNumber: serial, productName, interfaceClasses: [7] });
const keyboard = describedDevice({ vendorId: 0x046d, productId: 0xc31c, interfaceClasses: [3] });

function watching(bus: FakeWebUsb, kinds: readonly DeviceKind[] = ['cardReader', 'pinPad', 'printer']) {
  const events: string[] = [];
  const attached = new Map<DeviceKind, UsbBusDevice>();
  const errors: string[] = [];
  const watcher = new UsbDeviceWatcher({
    bus,
    rules: RULES,
    kinds,
    handlers: {
      attach: (kind, device, match) => {
        attached.set(kind, device);
        events.push(`attach ${kind} ${match.name} ${device.serialNumber ?? '-'} by ${match.by}`);
      },
      detach: (kind) => {
        attached.delete(kind);
        events.push(`detach ${kind}`);
      },
      error: (message) => errors.push(message),
    },
  });
  return { watcher, events, attached, errors };
}

describe('USB device matching', () => {
  it('matches a known model by VID/PID and any printer-class device by class', () => {
    expect(matchUsbDevice(magtek('A'), RULES)).toEqual({ kind: 'cardReader', name: 'MagTek HID', by: 'id' });
    expect(matchUsbDevice(anyPrinter('P'), RULES)).toEqual({ kind: 'printer', name: 'POS-80', by: 'class' });
  });

  it('prefers the VID/PID model over the class rule', () => {
    const epson = describedDevice({ vendorId: 0x04b8, productId: 0x0e28, interfaceClasses: [7] });
    expect(matchUsbDevice(epson, RULES)).toEqual({ kind: 'printer', name: 'Epson TM-T20III', by: 'id' });
  });

  it('leaves keyboards, mice and unknown devices alone: HID and CDC are not matched by class', () => {
    expect(matchUsbDevice(keyboard, RULES)).toBeUndefined();
    expect(matchUsbDevice(describedDevice({ vendorId: 0x2341, productId: 0x0043, interfaceClasses: [2, 10] }), RULES)).toBeUndefined();
  });

  it('picks the device that left by serial number, then by VID/PID, then any of the role', () => {
    const previous = { vendorId: 0x0801, productId: 0x0002, serialNumber: 'S1' };
    const same = magtek('S1');
    const twin = magtek('S2');
    const other = describedDevice({ vendorId: 0x0801, productId: 0x0011, serialNumber: 'S1-other-model', interfaceClasses: [3] });
    expect(pickDevice([other, twin, same], previous)).toBe(same);
    expect(pickDevice([other, twin], previous)).toBe(twin);
    expect(pickDevice([other], previous)).toBe(other);
    expect(pickDevice([], previous)).toBeUndefined();
    expect(pickDevice([twin, other], { vendorId: 0x0801, productId: 0x0002, serialNumber: null })).toBe(twin);
  });

  it('tells two listings of one device apart from two devices by bus position, else by serial', () => {
    const a = { ...magtek('S1'), bus: '1-1', address: 4 };
    expect(sameUsbDevice(a, { ...magtek('S1'), bus: '1-1', address: 4 })).toBe(true);
    expect(sameUsbDevice(a, { ...magtek('S1'), bus: '1-1', address: 5 })).toBe(false);
    expect(sameUsbDevice(magtek('S1'), magtek('S1'))).toBe(true);
    expect(sameUsbDevice(magtek(''), magtek(''))).toBe(false);
  });
});

describe('USB device watcher', () => {
  it('attaches the devices already plugged in at start, one per role', async () => {
    const bus = new FakeWebUsb();
    bus.plug(keyboard, { silently: true });
    bus.plug(magtek('R1'), { silently: true });
    bus.plug(anyPrinter('P1'), { silently: true });
    const { watcher, events } = watching(bus);
    await watcher.start();
    expect(events).toEqual(['attach cardReader MagTek HID R1 by id', 'attach printer POS-80 P1 by class']);
    watcher.stop();
  });

  it('follows hot-plug: a connect attaches, a disconnect detaches only the role of that device', async () => {
    const bus = new FakeWebUsb();
    const { watcher, events } = watching(bus);
    await watcher.start();
    const reader = magtek('R1');
    const printer = anyPrinter('P1');
    bus.plug(reader);
    bus.plug(printer);
    await vi.waitFor(() => expect(events).toHaveLength(2));
    bus.unplug(printer);
    await vi.waitFor(() => expect(events).toHaveLength(3));
    expect(events).toEqual(['attach cardReader MagTek HID R1 by id', 'attach printer POS-80 P1 by class', 'detach printer']);
    expect(watcher.bound('cardReader')?.serialNumber).toBe('R1');
    expect(watcher.bound('printer')).toBeUndefined();
    watcher.stop();
  });

  it('re-attaches the reader that comes back, by serial number, even when its twin model is plugged in too', async () => {
    const bus = new FakeWebUsb();
    const first = magtek('R1');
    bus.plug(first, { silently: true });
    const { watcher, events, attached } = watching(bus, ['cardReader']);
    await watcher.start();
    bus.unplug(first);
    await vi.waitFor(() => expect(events).toContain('detach cardReader'));
    // Both arrive before the watcher looks: the one that left wins over its twin.
    const twin = magtek('R2');
    bus.plug(twin, { silently: true });
    bus.plug(first);
    await vi.waitFor(() => expect(events).toHaveLength(3));
    expect(events.at(-1)).toBe('attach cardReader MagTek HID R1 by id');
    expect(attached.get('cardReader')?.serialNumber).toBe('R1');
    watcher.stop();
  });

  it('takes a device of the same model when the one that left does not come back', async () => {
    const bus = new FakeWebUsb();
    const first = anyPrinter('P1');
    bus.plug(first, { silently: true });
    const { watcher, events } = watching(bus, ['printer']);
    await watcher.start();
    bus.unplug(first);
    bus.plug(anyPrinter('P2'));
    await vi.waitFor(() => expect(events).toEqual(['attach printer POS-80 P1 by class', 'detach printer', 'attach printer POS-80 P2 by class']));
    watcher.stop();
  });

  it('keeps a second device of a role unused until the first leaves, then takes it', async () => {
    const bus = new FakeWebUsb();
    const first = magtek('R1');
    bus.plug(first, { silently: true });
    bus.plug(magtek('R2'), { silently: true });
    const { watcher, events } = watching(bus, ['cardReader']);
    await watcher.start();
    expect(events).toEqual(['attach cardReader MagTek HID R1 by id']);
    bus.unplug(first);
    await vi.waitFor(() => expect(events).toEqual(['attach cardReader MagTek HID R1 by id', 'detach cardReader', 'attach cardReader MagTek HID R2 by id']));
    watcher.stop();
  });

  it('recovers from a lost disconnect event once the role is released, and re-attaches on the next connect', async () => {
    const bus = new FakeWebUsb();
    const printer = anyPrinter('P1');
    bus.plug(printer, { silently: true });
    const { watcher, events } = watching(bus, ['printer']);
    await watcher.start();
    bus.unplug(printer, { silently: true });
    // The printer heartbeat found it gone: the station releases the role.
    watcher.release('printer');
    await vi.waitFor(() => expect(watcher.bound('printer')).toBeUndefined());
    bus.plug(printer);
    await vi.waitFor(() => expect(events).toEqual(['attach printer POS-80 P1 by class', 'attach printer POS-80 P1 by class']));
    expect(watcher.bound('printer')?.address).toBe(2);
    watcher.stop();
  });

  it('watches only the roles it is given', async () => {
    const bus = new FakeWebUsb();
    bus.plug(magtek('R1'), { silently: true });
    bus.plug(anyPrinter('P1'), { silently: true });
    const { watcher, events } = watching(bus, ['printer']);
    await watcher.start();
    expect(events).toEqual(['attach printer POS-80 P1 by class']);
    watcher.stop();
  });

  it('fails to start when the bus cannot be listed, and stops listening', async () => {
    const bus = new FakeWebUsb();
    bus.failListing = 'getDevices error: /sys/bus/usb/devices/ not found (errno 2)';
    const { watcher, events } = watching(bus);
    await expect(watcher.start()).rejects.toThrow('/sys/bus/usb/devices/ not found');
    bus.failListing = undefined;
    bus.plug(magtek('R1'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual([]);
  });

  it('reports a rescan that fails after a bus event, and keeps watching', async () => {
    const bus = new FakeWebUsb();
    const { watcher, events, errors } = watching(bus, ['cardReader']);
    await watcher.start();
    bus.failListing = 'getDevices error: busy';
    bus.plug(magtek('R1'));
    await vi.waitFor(() => expect(errors).toEqual(['getDevices error: busy']));
    bus.failListing = undefined;
    bus.plug(magtek('R2'));
    await vi.waitFor(() => expect(events).toEqual(['attach cardReader MagTek HID R1 by id']));
    watcher.stop();
  });

  it('ignores bus events after stop', async () => {
    const bus = new FakeWebUsb();
    const { watcher, events } = watching(bus);
    await watcher.start();
    watcher.stop();
    bus.plug(magtek('R1'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual([]);
  });
});
