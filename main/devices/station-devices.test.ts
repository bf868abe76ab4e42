/**
 * Device modes and hot-plug at station level, with a fake of usb v3's WebUSB object. The "real"
 * devices on the fake bus are virtual devices with their own serial numbers, so the real drivers
 * open them over the same USB transfer subset as hardware. Every wait is on a device event, except
 * on fake timers, where vi.waitFor moves the clock that drives the heartbeat and the reconnects.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEVICE_KINDS, type DeviceKind } from '../../common/devices.ts';
import type { CardRead } from '../../peripherals/card-reader/card-read.ts';
import { VirtualKeyboardCardReader } from '../../peripherals/card-reader/virtual-keyboard-card-reader.ts';
import { loadHostConfig } from '../../bank/config/host-config.ts';
import { BUNDLED_CONFIG_PATH } from '../../bank/start-host.ts';
import { decryptCardData } from '../../payments/sred/decrypt-card-data.ts';
import { tdesDukptDataEncryptor } from '../../peripherals/pin-pad/card-data-encryption.ts';
import { memoryKsnStore } from '../../peripherals/pin-pad/ksn-store.ts';
import { tdesDukptEncryptor } from '../../peripherals/pin-pad/pin-encryption.ts';
import { VirtualCcidReader } from '../../peripherals/ccid/virtual-ccid-reader.ts';
import { VirtualUsbPrinter } from '../../peripherals/printer/virtual-printer.ts';
import type { ScanRead } from '../../peripherals/scanner/scan-read.ts';
import { VirtualHidPosScanner, VirtualKeyboardScanner } from '../../peripherals/scanner/virtual-scanner.ts';
import { FakeWebUsb } from '../../peripherals/usb/fake-web-usb.ts';
import { until } from '../../test/support/until.ts';
import { DEFAULT_DEVICES_CONFIG, DEFAULT_VIRTUAL_PIN_PAD_CONFIG, type DevicesConfig } from '../config/device-config.ts';
import { PRINTER_HEARTBEAT_MS } from './printer-device.ts';
import { createStationDevices, type StationDevices } from './station-devices.ts';

const CARD = { pan: '4111110000000013', expiry: '3106', serviceCode: '101', discretionary: '0000012345', cardholderName: 'SMITH/ANNA' };

let devices: StationDevices | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await devices?.stop();
  devices = undefined;
});

async function station(mode: DevicesConfig['mode'], loadBus: () => Promise<FakeWebUsb>, stripeReader: DevicesConfig['stripeReader'] = 'card-reader') {
  const log: string[] = [];
  const { ipek, initialKsn, dataIpek, dataInitialKsn } = DEFAULT_VIRTUAL_PIN_PAD_CONFIG;
  devices = await createStationDevices({
    devices: { ...DEFAULT_DEVICES_CONFIG, mode, stripeReader },
    pinEncryptor: tdesDukptEncryptor(Buffer.from(ipek, 'hex'), memoryKsnStore(Buffer.from(initialKsn, 'hex'))),
    cardDataEncryptor: tdesDukptDataEncryptor(Buffer.from(dataIpek, 'hex'), memoryKsnStore(Buffer.from(dataInitialKsn, 'hex'))),
    printer: { profile: { widthMm: 80, cjk: 'gb18030' } },
    log: (line) => log.push(line),
    loadBus,
  });
  return { devices, log };
}

const status = (of: StationDevices, kind: DeviceKind) => of.statuses().find((entry) => entry.device === kind);

// Waits are on the devices' own events, not on a clock (test/support/until.ts): a status change,
// a card read, a scan, a chip slot change.
const statusEvents = (of: StationDevices) => (changed: () => void) => of.onStatus(changed);
const readEvents = (of: StationDevices) => (changed: () => void) => of.cardReads.subscribe(changed);
const scanEvents = (of: StationDevices) => (changed: () => void) => of.scans.subscribe(changed);
const slotEvents = (of: StationDevices) => (changed: () => void) => of.chipSlots.subscribe(changed);

describe('which device reads swiped cards', () => {
  it('the PIN pad’s head: its swipes reach the station masked and encrypted, the separate reader’s role is not used', async () => {
    const { devices } = await station('virtual', async () => new FakeWebUsb(), 'pin-pad');
    await vi.waitFor(() => expect(devices.statuses().map((entry) => `${entry.device} ${entry.state}`)).toEqual(['pinPad ready', 'printer ready', 'chipReader ready', 'scanner ready']));
    expect(status(devices, 'pinPad')?.encrypting).toBe(true);
    expect(devices.stripeReaderKind).toBe('pinPad');
    const reads: CardRead[] = [];
    devices.cardReads.subscribe((read) => reads.push(read));
    expect(devices.swipe(CARD, 'none')).toBe(true);
    await vi.waitFor(() => expect(reads).toHaveLength(1));
    const [read] = reads;
    if (read?.kind !== 'encrypted_card') throw new Error(`expected an encrypted read, got ${read?.kind}`);
    expect(read.read).toMatchObject({ maskedPan: '411111******0013', bin: '41111100', expiry: '3106', serviceCode: '101' });
    const { security } = loadHostConfig(BUNDLED_CONFIG_PATH);
    expect(decryptCardData(read.read.encrypted, { tdes: Buffer.from(security.dataBdk, 'hex'), aes: Buffer.from(security.aesDataBdk, 'hex') }).pan).toBe(CARD.pan);
  });

  it('the PIN pad’s head: a swipe nobody waits for is dropped, and the pad is told to forget the card', async () => {
    const { devices } = await station('virtual', async () => new FakeWebUsb(), 'pin-pad');
    await vi.waitFor(() => expect(status(devices, 'pinPad')?.state).toBe('ready'));
    expect(devices.swipe(CARD, 'none')).toBe(true);
    expect(devices.virtualPinPad.holdsCard).toBe(true);
    await vi.waitFor(() => expect(devices.virtualPinPad.holdsCard).toBe(false));
  });

  it('the separate reader: its status says it is not encrypting, and the PIN pad’s head reports nothing', async () => {
    const { devices } = await station('virtual', async () => new FakeWebUsb());
    await vi.waitFor(() => expect(status(devices, 'cardReader')?.state).toBe('ready'));
    expect(status(devices, 'cardReader')?.encrypting).toBe(false);
    expect(status(devices, 'pinPad')?.encrypting).toBeUndefined();
    const reads: CardRead[] = [];
    devices.cardReads.subscribe((read) => reads.push(read));
    devices.virtualPinPad.swipe(CARD);
    devices.swipe(CARD, 'none');
    await vi.waitFor(() => expect(reads.map((read) => read.kind)).toEqual(['card']));
  });

  it('usb with the PIN pad reading cards: no card reader is looked for or waited on', async () => {
    const { devices } = await station('usb', async () => new FakeWebUsb(), 'pin-pad');
    expect(devices.statuses().map((entry) => entry.device)).toEqual(['pinPad', 'printer', 'chipReader', 'scanner']);
  });
});

describe('station devices by device mode', () => {
  it('auto: keeps the virtual twins when the bus has nothing, and says so in each status', async () => {
    const bus = new FakeWebUsb();
    const { devices } = await station('auto', async () => bus);
    await until(
      () =>
        expect(devices.statuses().map((entry) => `${entry.device} ${entry.state} ${entry.source}`)).toEqual([
          'cardReader ready virtual',
          'pinPad ready virtual',
          'printer ready virtual',
          'chipReader ready virtual',
          'scanner ready virtual',
        ]),
      statusEvents(devices),
    );
    expect(devices.usesVirtual('printer')).toBe(true);
  });

  it('auto: a real printer found on the bus takes the role, and waits for its return when unplugged', async () => {
    const bus = new FakeWebUsb();
    const { devices, log } = await station('auto', async () => bus);
    const real = new VirtualUsbPrinter({ serialNumber: 'SHOP-PRN-1' });
    bus.plug(real);
    await until(() => expect(status(devices, 'printer')).toMatchObject({ state: 'ready', source: 'usb', model: 'Virtual thermal printer (ESC/POS, 80 mm)' }), statusEvents(devices));
    expect(devices.usesVirtual('printer')).toBe(false);
    expect(log).toContain('devices: USB receipt printer Virtual thermal printer (ESC/POS, 80 mm) (1209:7a03) found');

    real.unplug();
    bus.unplug(real);
    await until(() => expect(status(devices, 'printer')).toMatchObject({ state: 'disconnected', source: 'usb' }), statusEvents(devices));
    // Not silently back on the virtual printer: the cashier would be printing to a screen.
    expect(devices.usesVirtual('printer')).toBe(false);

    real.plug();
    bus.plug(real);
    await until(() => expect(status(devices, 'printer')).toMatchObject({ state: 'ready', source: 'usb' }), statusEvents(devices));
  });

  it('usb: with nothing plugged in every role waits, saying what for; a keyboard reader plugged in then reads cards', async () => {
    const bus = new FakeWebUsb();
    const { devices } = await station('usb', async () => bus);
    expect(status(devices, 'cardReader')).toMatchObject({ state: 'absent', source: 'usb', model: 'USB card reader', detail: 'no USB card reader found: plug in a supported model (docs/peripherals.md)' });
    expect(status(devices, 'printer')?.detail).toMatch(/no USB receipt printer found/);

    const reads: CardRead[] = [];
    devices.cardReads.subscribe((read) => reads.push(read));
    const reader = new VirtualKeyboardCardReader('SHOP-MSR-1');
    bus.plug(reader);
    await until(() => expect(status(devices, 'cardReader')).toMatchObject({ state: 'ready', source: 'usb', model: 'Virtual MSR (keyboard emulation)' }), statusEvents(devices));
    reader.swipe(CARD);
    await until(() => expect(reads).toHaveLength(1), readEvents(devices));
    expect(reads[0]).toMatchObject({ kind: 'card', card: { pan: CARD.pan, cardholderName: 'SMITH/ANNA' } });
  });

  it('usb: a HID POS scanner plugged in takes the role and its scans reach the station; unplugged, the role waits for it', async () => {
    const bus = new FakeWebUsb();
    const { devices, log } = await station('usb', async () => bus);
    expect(status(devices, 'scanner')).toMatchObject({ state: 'absent', detail: 'no USB barcode scanner found: plug in a supported model (docs/peripherals.md)' });
    const scans: ScanRead[] = [];
    devices.scans.subscribe((read) => scans.push(read));
    const scanner = new VirtualHidPosScanner('SHOP-SCN-1');
    bus.plug(scanner);
    await until(() => expect(status(devices, 'scanner')).toMatchObject({ state: 'ready', source: 'usb', model: 'Virtual barcode scanner (HID POS)' }), statusEvents(devices));
    expect(log).toContain('devices: USB barcode scanner Virtual barcode scanner (HID POS) (1209:7a10) found');
    scanner.scan('6900012345004');
    await until(() => expect(scans).toEqual([{ kind: 'scan', code: '6900012345004', symbology: ']E0' }]), scanEvents(devices));
    scanner.unplug();
    bus.unplug(scanner);
    await until(() => expect(status(devices, 'scanner')).toMatchObject({ state: 'disconnected', source: 'usb' }), statusEvents(devices));
  });

  it('auto: a keyboard scanner found on the bus replaces the virtual one, and its typed codes are scans', async () => {
    const bus = new FakeWebUsb();
    const { devices } = await station('auto', async () => bus);
    await until(() => expect(status(devices, 'scanner')).toMatchObject({ state: 'ready', source: 'virtual' }), statusEvents(devices));
    const scans: ScanRead[] = [];
    devices.scans.subscribe((read) => scans.push(read));
    const scanner = new VirtualKeyboardScanner('SHOP-KSC-1');
    bus.plug(scanner);
    await until(() => expect(status(devices, 'scanner')).toMatchObject({ state: 'ready', source: 'usb', model: 'Virtual barcode scanner (keyboard emulation)' }), statusEvents(devices));
    expect(devices.usesVirtual('scanner')).toBe(false);
    scanner.scan('6900012345011');
    await until(() => expect(scans).toEqual([{ kind: 'scan', code: '6900012345011' }]), scanEvents(devices));
  });

  it('usb: a reader unplugged and plugged back is recovered without a restart', async () => {
    const bus = new FakeWebUsb();
    const reader = new VirtualKeyboardCardReader('SHOP-MSR-1');
    bus.plug(reader, { silently: true });
    const { devices } = await station('usb', async () => bus);
    await until(() => expect(status(devices, 'cardReader')?.state).toBe('ready'), statusEvents(devices));
    reader.unplug();
    bus.unplug(reader);
    await until(() => expect(status(devices, 'cardReader')).toMatchObject({ state: 'disconnected', detail: 'unplugged' }), statusEvents(devices));
    reader.plug();
    bus.plug(reader);
    await until(() => expect(status(devices, 'cardReader')?.state).toBe('ready'), statusEvents(devices));
    const reads: CardRead[] = [];
    devices.cardReads.subscribe((read) => reads.push(read));
    reader.swipe(CARD);
    await until(() => expect(reads.map((read) => read.kind)).toEqual(['card']), readEvents(devices));
  });

  it('usb: the printer heartbeat notices an unplug whose disconnect event was lost, and the printer is taken back when it returns', async () => {
    vi.useFakeTimers();
    const bus = new FakeWebUsb();
    const real = new VirtualUsbPrinter({ serialNumber: 'SHOP-PRN-1' });
    bus.plug(real, { silently: true });
    const { devices } = await station('usb', async () => bus);
    await vi.waitFor(() => expect(status(devices, 'printer')?.state).toBe('ready'));
    real.unplug();
    bus.unplug(real, { silently: true });
    await vi.advanceTimersByTimeAsync(PRINTER_HEARTBEAT_MS);
    expect(status(devices, 'printer')).toMatchObject({ state: 'disconnected', source: 'usb' });
    real.plug();
    bus.plug(real);
    await vi.waitFor(() => expect(status(devices, 'printer')?.state).toBe('ready'));
  });

  it('auto: a real CCID reader (any smart-card class device) takes the chip reader role; insert and removal reach the station', async () => {
    const bus = new FakeWebUsb();
    const { devices, log } = await station('auto', async () => bus);
    const real = new VirtualCcidReader('SHOP-CCID-1');
    bus.plug(real);
    await until(() => expect(status(devices, 'chipReader')).toMatchObject({ state: 'ready', source: 'usb', model: 'Virtual dual-interface reader (CCID)' }), statusEvents(devices));
    expect(log).toContain('devices: USB chip reader Virtual dual-interface reader (CCID) (1209:7a05) found');
    const changes: string[] = [];
    devices.chipSlots.subscribe((change) => changes.push(`${change.slot} ${change.present ? 'in' : 'out'}`));
    real.insert({ powerOn: () => Buffer.from('3B00', 'hex'), powerOff: () => undefined, transmit: () => Buffer.from('9000', 'hex') });
    real.remove();
    await until(() => expect(changes).toEqual(['0 in', '0 out']), slotEvents(devices));
    real.unplug();
    bus.unplug(real);
    await until(() => expect(status(devices, 'chipReader')).toMatchObject({ state: 'disconnected', source: 'usb' }), statusEvents(devices));
    real.plug();
    bus.plug(real);
    await until(() => expect(status(devices, 'chipReader')).toMatchObject({ state: 'ready', source: 'usb' }), statusEvents(devices));
  });

  it('usb: when USB cannot be used at all, every device says why', async () => {
    const { devices, log } = await station('usb', () => Promise.reject(new Error('the usb package could not be loaded: no native binary')));
    expect(devices.statuses().map((entry) => `${entry.state}: ${entry.detail ?? ''}`)).toEqual(Array(DEVICE_KINDS.length).fill('absent: USB is not available: the usb package could not be loaded: no native binary'));
    expect(log).toEqual(['devices: USB is not available (the usb package could not be loaded: no native binary)']);
  });

  it('auto: when the bus cannot be listed the station runs on its virtual devices and logs why', async () => {
    const bus = new FakeWebUsb();
    bus.failListing = 'getDevices error: /sys/bus/usb/devices/ not found (errno 2)';
    const { devices, log } = await station('auto', async () => bus);
    await until(() => expect(devices.statuses().every((entry) => entry.state === 'ready' && entry.source === 'virtual')).toBe(true), statusEvents(devices));
    expect(log).toEqual(['devices: USB is not available (getDevices error: /sys/bus/usb/devices/ not found (errno 2)); using the virtual devices']);
  });
});
