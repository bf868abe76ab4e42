/** The barcode scanner driver against the virtual scanners, over the USB transfer subset: HID POS and keyboard emulation. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsbDisconnectedError } from '../usb/minimal-usb-device.ts';
import { VirtualHidInputDevice } from '../virtual/virtual-hid-input-device.ts';
import { encodeScannedDataReports, HID_POS_REPORT_LENGTH, HidPosScanAssembler } from './hid-pos-report.ts';
import { VIRTUAL_HID_POS_SCANNER, VIRTUAL_KEYBOARD_SCANNER, type ScannerModel } from './known-scanners.ts';
import type { ScanRead } from './scan-read.ts';
import { BarcodeScannerDriver, SCANNER_POLL_MS } from './scanner-driver.ts';
import { VirtualHidPosScanner, VirtualKeyboardScanner } from './virtual-scanner.ts';

async function scanning(device: VirtualHidPosScanner | VirtualKeyboardScanner | VirtualHidInputDevice, model: ScannerModel) {
  const driver = new BarcodeScannerDriver(device, model);
  await driver.open();
  const reads: ScanRead[] = [];
  const loop = driver.readLoop((read) => reads.push(read));
  loop.catch(() => undefined);
  return { driver, reads, loop };
}

afterEach(() => vi.useRealTimers());

describe('HID POS barcode scanner over USB', () => {
  it('reads a scan as the code with its AIM symbology identifier', async () => {
    const scanner = new VirtualHidPosScanner();
    const { driver, reads } = await scanning(scanner, VIRTUAL_HID_POS_SCANNER);
    scanner.scan('6900012345004');
    scanner.scan('12345670');
    await vi.waitUntil(() => reads.length === 2);
    expect(reads).toEqual([
      { kind: 'scan', code: '6900012345004', symbology: ']E0' },
      { kind: 'scan', code: '12345670', symbology: ']E4' },
    ]);
    await driver.close();
  });

  it('sends a UPC-A as the EAN-13 with a leading 0, as scanners do', async () => {
    const scanner = new VirtualHidPosScanner();
    const { driver, reads } = await scanning(scanner, VIRTUAL_HID_POS_SCANNER);
    scanner.scan('036000291452');
    await vi.waitUntil(() => reads.length === 1);
    expect(reads[0]).toEqual({ kind: 'scan', code: '0036000291452', symbology: ']E0' });
    await driver.close();
  });

  it('joins a code longer than one report, UTF-8 text split across reports included', async () => {
    const scanner = new VirtualHidPosScanner();
    const { driver, reads } = await scanning(scanner, VIRTUAL_HID_POS_SCANNER);
    const code = `https://example.cn/item?name=${'茉莉花茶'.repeat(6)}&sku=TEA-001`;
    expect(new TextEncoder().encode(code).length).toBeGreaterThan(2 * 56);
    scanner.scan(code);
    await vi.waitUntil(() => reads.length === 1);
    expect(reads[0]).toEqual({ kind: 'scan', code, symbology: ']C0' });
    await driver.close();
  });

  it('refuses a HID device whose report descriptor is not the Bar Code Scanner page', async () => {
    class KeyboardLookalike extends VirtualHidInputDevice {
      constructor() {
        // Generic Desktop (0x01), Keyboard (0x06), Application collection.
        super(VIRTUAL_HID_POS_SCANNER, 'NOT-A-SCANNER', { subclass: 0, protocol: 0, packetSize: 64, reportDescriptor: Uint8Array.of(0x05, 0x01, 0x09, 0x06, 0xa1, 0x01, 0xc0) });
      }
    }
    await expect(new BarcodeScannerDriver(new KeyboardLookalike(), VIRTUAL_HID_POS_SCANNER).open()).rejects.toThrow(/not a HID POS barcode scanner \(its report descriptor declares usage page 0x1, not 0x8c\)/);
  });

  it('ends its read loop with UsbDisconnectedError when unplugged, and reads cleanly after a replug', async () => {
    const scanner = new VirtualHidPosScanner();
    const { loop } = await scanning(scanner, VIRTUAL_HID_POS_SCANNER);
    scanner.unplug();
    await expect(loop).rejects.toThrow(UsbDisconnectedError);
    expect(() => scanner.scan('6900012345004')).toThrow(UsbDisconnectedError);
    scanner.plug();
    const again = await scanning(scanner, VIRTUAL_HID_POS_SCANNER);
    scanner.scan('6900012345004');
    await vi.waitUntil(() => again.reads.length === 1);
    expect(again.reads[0]).toMatchObject({ kind: 'scan', code: '6900012345004' });
    await again.driver.close();
  });
});

describe('HID POS scanned-data reports', () => {
  const report = (length: number, more = 0) => {
    const bytes = new Uint8Array(HID_POS_REPORT_LENGTH);
    bytes.set([0x02, length, 0x5d, 0x45, 0x30]);
    bytes.fill(0x31, 5, 5 + Math.min(length, 56));
    bytes[63] = more;
    return bytes;
  };

  it('reports a length past the data field, or a short report, as a malformed read and starts afresh', () => {
    const scans = new HidPosScanAssembler();
    expect(scans.push(report(57))).toEqual([{ kind: 'bad_read', reason: 'malformed_report' }]);
    expect(scans.push(report(3).subarray(0, 40))).toEqual([{ kind: 'bad_read', reason: 'malformed_report' }]);
    expect(scans.push(report(3))).toEqual([{ kind: 'scan', code: '111', symbology: ']E0' }]);
  });

  it('ignores reports that are not scanned data, and a scan that promised more and went quiet is incomplete', () => {
    const scans = new HidPosScanAssembler();
    const status = new Uint8Array(HID_POS_REPORT_LENGTH);
    status[0] = 0x04;
    expect(scans.push(status)).toEqual([]);
    expect(scans.push(report(56, 1))).toEqual([]);
    expect(scans.quiet()).toEqual({ kind: 'bad_read', reason: 'incomplete' });
    expect(scans.quiet()).toBeUndefined();
  });

  it('takes a scan with no symbology identifier (a scanner set not to send it)', () => {
    const [only] = encodeScannedDataReports(new TextEncoder().encode('6900012345004'), undefined);
    expect(new HidPosScanAssembler().push(only as Uint8Array)).toEqual([{ kind: 'scan', code: '6900012345004' }]);
  });
});

describe('keyboard-emulation barcode scanner over USB', () => {
  it('claims the boot keyboard interface and reads a typed code ended by Enter', async () => {
    const scanner = new VirtualKeyboardScanner();
    const { driver, reads } = await scanning(scanner, VIRTUAL_KEYBOARD_SCANNER);
    scanner.scan('6900012345004');
    scanner.scan('TEA-001');
    await vi.waitUntil(() => reads.length === 2);
    expect(reads).toEqual([
      { kind: 'scan', code: '6900012345004' },
      { kind: 'scan', code: 'TEA-001' },
    ]);
    await driver.close();
  });

  it(`reports keystrokes that stop for ${SCANNER_POLL_MS} ms before Enter as an incomplete scan, never as a shorter code`, async () => {
    vi.useFakeTimers();
    const scanner = new VirtualKeyboardScanner();
    const { driver, reads } = await scanning(scanner, VIRTUAL_KEYBOARD_SCANNER);
    scanner.type('690001', false);
    await vi.advanceTimersByTimeAsync(SCANNER_POLL_MS - 1);
    expect(reads).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(reads).toEqual([{ kind: 'bad_read', reason: 'incomplete' }]);
    await driver.close();
    await vi.advanceTimersByTimeAsync(SCANNER_POLL_MS);
  });

  it('ends a scan of a scanner set to no suffix when its keystrokes stop', async () => {
    vi.useFakeTimers();
    const scanner = new VirtualKeyboardScanner();
    const { driver, reads } = await scanning(scanner, { ...VIRTUAL_KEYBOARD_SCANNER, protocol: 'hid-keyboard', endsWithEnter: false });
    scanner.type('6900012345004', false);
    await vi.advanceTimersByTimeAsync(SCANNER_POLL_MS);
    expect(reads).toEqual([{ kind: 'scan', code: '6900012345004' }]);
    await driver.close();
    await vi.advanceTimersByTimeAsync(SCANNER_POLL_MS);
  });

  it('cannot type a character no US-layout key types', () => {
    expect(() => new VirtualKeyboardScanner().scan('茶')).toThrow(RangeError);
  });
});
