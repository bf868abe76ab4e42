/** The panel's barcode scanner on the station's real virtual scanner, and its scans resolved for the checkout. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BarcodeScan } from '../../common/barcode-scan.ts';
import { memoryKsnStore } from '../../peripherals/pin-pad/ksn-store.ts';
import { tdesDukptEncryptor } from '../../peripherals/pin-pad/pin-encryption.ts';
import { demoCatalog } from '../catalog/demo-catalog.ts';
import { forwardScans } from '../catalog/scans-to-checkout.ts';
import { DEFAULT_DEVICES_CONFIG, DEFAULT_VIRTUAL_PIN_PAD_CONFIG, type DevicesConfig } from '../config/device-config.ts';
import { createStationDevices, type StationDevices } from '../devices/station-devices.ts';
import { IpcRejection } from '../ipc/dispatcher.ts';
import { scannerHandlers } from './scanner-handlers.ts';

const DEMO_CATALOG = demoCatalog();
let devices: StationDevices | undefined;
afterEach(async () => devices?.stop());

async function panel(virtualScanner: DevicesConfig['virtualScanner'] = 'hid-pos') {
  devices = await createStationDevices({
    devices: { ...DEFAULT_DEVICES_CONFIG, virtualScanner },
    pinEncryptor: tdesDukptEncryptor(Buffer.from(DEFAULT_VIRTUAL_PIN_PAD_CONFIG.ipek, 'hex'), memoryKsnStore(Buffer.from(DEFAULT_VIRTUAL_PIN_PAD_CONFIG.initialKsn, 'hex'))),
    printer: { profile: { widthMm: 80, cjk: 'gb18030' } },
    log: () => undefined,
  });
  const scans: BarcodeScan[] = [];
  const log: string[] = [];
  forwardScans(devices.scans, () => DEMO_CATALOG, (scan) => scans.push(scan), (line) => log.push(line));
  await vi.waitFor(() => expect(devices?.scanner.machine.state).toBe('ready'));
  return { devices, handlers: scannerHandlers(devices, () => DEMO_CATALOG), scans, log };
}

describe('simulated barcode scanner', () => {
  it("offers catalog items' barcodes by query, and a code the catalog does not know", async () => {
    const { handlers } = await panel();
    const offered = await handlers.listScanCodes({ query: 'jasmine' });
    expect(offered.items).toEqual([{ sku: 'TEA-001', gtin: '6900012345004', name: { 'zh-CN': '茉莉花茶', en: 'Jasmine tea' } }]);
    expect((await handlers.listScanCodes({ query: '' })).items).toHaveLength(12);
    expect(DEMO_CATALOG.resolveBarcode(offered.unknownCode)).toEqual({ kind: 'unknown' });
    expect(offered.unknownCode).toMatch(/^\d{13}$/);
  });

  it('scans through the virtual HID POS scanner at the USB level, and the checkout is told the item or that the code is unknown', async () => {
    const { handlers, scans } = await panel();
    expect(await handlers.scanBarcode({ code: '6900012345004' })).toEqual({ scanned: true });
    const { unknownCode } = await handlers.listScanCodes({ query: '' });
    await handlers.scanBarcode({ code: unknownCode });
    await vi.waitFor(() => expect(scans).toHaveLength(2));
    expect(scans).toEqual([
      { code: '6900012345004', symbology: ']E0', outcome: { kind: 'item', sku: 'TEA-001', name: { 'zh-CN': '茉莉花茶', en: 'Jasmine tea' } } },
      { code: unknownCode, symbology: ']E0', outcome: { kind: 'unknown' } },
    ]);
  });

  it('scans through the keyboard-emulation twin too, and refuses a code it cannot type', async () => {
    const { handlers, scans } = await panel('hid-keyboard');
    await handlers.scanBarcode({ code: '6900012345011' });
    await vi.waitFor(() => expect(scans).toEqual([{ code: '6900012345011', outcome: { kind: 'item', sku: 'COF-001', name: { 'zh-CN': '美式咖啡', en: 'Americano' } } }]));
    await expect(async () => handlers.scanBarcode({ code: '茶' })).rejects.toThrow(IpcRejection);
  });

  it('refuses a scan while the scanner is unplugged', async () => {
    const { devices, handlers } = await panel();
    devices.virtualScanner.unplug();
    await expect(async () => handlers.scanBarcode({ code: '6900012345004' })).rejects.toThrow('the virtual barcode scanner is unplugged');
  });
});
