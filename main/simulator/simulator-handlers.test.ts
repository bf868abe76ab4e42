/** The simulated-devices panel's device controls, on the station's real virtual devices. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TestDeckCard } from '../../common/test-deck.ts';
import { tdesDukptDataEncryptor } from '../../peripherals/pin-pad/card-data-encryption.ts';
import { memoryKsnStore } from '../../peripherals/pin-pad/ksn-store.ts';
import { tdesDukptEncryptor } from '../../peripherals/pin-pad/pin-encryption.ts';
import { DEFAULT_VIRTUAL_PIN_PAD_CONFIG } from '../config/device-config.ts';
import { createVirtualStationDevices, type StationDevices } from '../devices/station-devices.ts';
import { IpcRejection } from '../ipc/dispatcher.ts';
import { simulatorHandlers } from './simulator-handlers.ts';
import { VirtualChipCards } from './virtual-chip-cards.ts';

const REPO_ROOT_DIR = join(import.meta.dirname, '..', '..');

const DECK: TestDeckCard[] = [
  {
    id: 'cup',
    label: 'UnionPay',
    pan: '6212345678901232',
    expiry: '3012',
    serviceCode: '101',
    discretionary: '1234567890',
    cardholderName: 'ZHANG/WEI',
    pin: '123456',
    status: 'active',
    account: { type: 'debit', balanceMinor: 1000, currency: 'CNY' },
    expect: '00',
  },
];

let devices: StationDevices | undefined;
afterEach(async () => devices?.stop());

function panel(stripeReader: 'pin-pad' | 'card-reader' = 'card-reader') {
  const { ipek, initialKsn, dataIpek, dataInitialKsn } = DEFAULT_VIRTUAL_PIN_PAD_CONFIG;
  devices = createVirtualStationDevices(
    tdesDukptEncryptor(Buffer.from(ipek, 'hex'), memoryKsnStore(Buffer.from(initialKsn, 'hex'))),
    { profile: { widthMm: 80, cjk: 'gb18030' } },
    'magtek-hid',
    { stripeReader, cardDataEncryptor: tdesDukptDataEncryptor(Buffer.from(dataIpek, 'hex'), memoryKsnStore(Buffer.from(dataInitialKsn, 'hex'))) },
  );
  const changes = { count: 0 };
  return { devices, handlers: simulatorHandlers(DECK, devices, VirtualChipCards.load(join(REPO_ROOT_DIR, 'bank', 'deck'), mkdtempSync(join(tmpdir(), 'chip-cards-'))), () => changes.count++), changes };
}

describe('simulated-devices panel', () => {
  it('unplugs and plugs each virtual device, which the station follows', async () => {
    const { devices, handlers } = panel();
    await vi.waitFor(() => expect(devices.statuses().every((status) => status.state === 'ready')).toBe(true));
    for (const device of ['cardReader', 'pinPad', 'printer'] as const) {
      const unplugged = await handlers.setDevicePlugged({ device, plugged: false });
      expect(unplugged.devices.find((entry) => entry.device === device)).toEqual({ device, plugged: false, inUse: true });
      await vi.waitFor(() => expect(devices.statuses().find((status) => status.device === device)?.state).toBe('disconnected'));
      await handlers.setDevicePlugged({ device, plugged: true });
      await vi.waitFor(() => expect(devices.statuses().find((status) => status.device === device)?.state).toBe('ready'));
    }
  });

  it('refuses a swipe on an unplugged reader, and swipes with a partial track', async () => {
    const { devices, handlers } = panel();
    const reads: string[] = [];
    devices.cardReads.subscribe((read) => reads.push(read.kind));
    await vi.waitFor(() => expect(devices.cardReader.machine.state).toBe('ready'));
    expect(await handlers.swipeCard({ cardId: 'cup', fault: 'partial_track' })).toEqual({ swiped: true });
    await vi.waitFor(() => expect(reads).toEqual(['bad_read']));
    await handlers.setDevicePlugged({ device: 'cardReader', plugged: false });
    await expect(async () => handlers.swipeCard({ cardId: 'cup', fault: 'none' })).rejects.toThrow(IpcRejection);
  });

  it('swipes on the PIN pad’s head when the PIN pad reads cards, and refuses while the pad is unplugged', async () => {
    const { devices, handlers } = panel('pin-pad');
    const reads: string[] = [];
    devices.cardReads.subscribe((read) => reads.push(read.kind));
    await vi.waitFor(() => expect(devices.pinPad.machine.state).toBe('ready'));
    expect(await handlers.swipeCard({ cardId: 'cup', fault: 'none' })).toEqual({ swiped: true });
    await vi.waitFor(() => expect(reads).toEqual(['encrypted_card']));
    await handlers.setDevicePlugged({ device: 'pinPad', plugged: false });
    await expect(async () => handlers.swipeCard({ cardId: 'cup', fault: 'none' })).rejects.toThrow('the virtual PIN pad is unplugged');
  });

  it('takes the paper out, opens the cover and arms a mid-receipt unplug, telling the other windows', async () => {
    const { handlers, changes } = panel();
    expect((await handlers.setPrinterCondition({ paperOut: true })).printer).toEqual({ paperOut: true, paperNearEnd: false, coverOpen: false, drawerOpen: false, unplugDuringNextReceipt: false });
    expect((await handlers.setPrinterCondition({ paperOut: false, coverOpen: true })).printer).toMatchObject({ paperOut: false, coverOpen: true });
    expect((await handlers.unplugPrinterDuringNextReceipt({})).printer.unplugDuringNextReceipt).toBe(true);
    expect(changes.count).toBe(3);
  });

  it('shows the cash drawer open after a pulse, and shuts it', async () => {
    const { devices, handlers } = panel();
    await vi.waitUntil(() => devices.printer.machine.state === 'ready');
    await devices.kickDrawer();
    expect((await handlers.getVirtualDevices({})).printer.drawerOpen).toBe(true);
    expect((await handlers.closeDrawer({})).printer.drawerOpen).toBe(false);
  });

  it('times out the PIN entry in progress, and says when there is none', async () => {
    const { devices, handlers } = panel();
    expect(await handlers.expirePinEntry({})).toEqual({ expired: false });
    await vi.waitFor(() => expect(devices.pinPad.machine.state).toBe('ready'));
    const entry = devices.pinPad.withJob(({ driver }) => driver.requestPin({ pan: '6212345678901232', amount: { amountMinor: 100, currency: 'CNY' }, timeoutSeconds: 60 }));
    await vi.waitFor(() => expect(devices.virtualPinPad.screen.awaitingPin).toBe(true));
    expect(await handlers.expirePinEntry({})).toEqual({ expired: true });
    expect(await entry).toEqual({ kind: 'timeout' });
    expect(devices.virtualPinPad.screen.awaitingPin).toBe(false);
    expect(devices.pinPad.machine.state).toBe('ready');
  });
});
