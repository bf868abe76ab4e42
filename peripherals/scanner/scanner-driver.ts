/**
 * Speaks to one USB barcode scanner over the USB subset, on the same HID input machinery as the
 * card readers: claims its HID interface, reads input reports from the interrupt endpoint and turns
 * them into scans. A HID POS scanner must say so in its report descriptor (the Bar Code Scanner
 * usage page): a device that does not is refused at open rather than read as garbage.
 */
import { BootKeyboardDecoder } from '../hid/boot-keyboard.ts';
import { HidInputReader, isBootKeyboard, isHidInterface, type ReportInterpreter } from '../hid/hid-input-reader.ts';
import { applicationUsagePages, readReportDescriptor } from '../hid/report-descriptor.ts';
import type { MinimalUsbDevice } from '../usb/minimal-usb-device.ts';
import { BAR_CODE_SCANNER_PAGE } from './hid-pos-descriptor.ts';
import { HID_POS_REPORT_LENGTH, HidPosScanAssembler } from './hid-pos-report.ts';
import { KeyboardScanAssembler } from './keyboard-scan.ts';
import type { ScannerModel } from './known-scanners.ts';
import type { ScanRead } from './scan-read.ts';

/**
 * How long one interrupt read waits before the loop checks whether it should stop. A scanner types
 * a whole code within milliseconds, so this is also how long a keyboard scan with no Enter suffix
 * may pause before it counts as over.
 */
export const SCANNER_POLL_MS = 250;

export class BarcodeScannerDriver {
  readonly #device: MinimalUsbDevice;
  readonly #model: ScannerModel;
  readonly #reader: HidInputReader;

  constructor(device: MinimalUsbDevice, model: ScannerModel) {
    this.#device = device;
    this.#model = model;
    this.#reader = new HidInputReader(device, {
      name: model.name,
      matches: model.protocol === 'hid-pos' ? isHidInterface : isBootKeyboard,
      ...(model.protocol === 'hid-pos' ? { reportLength: HID_POS_REPORT_LENGTH } : {}),
      pollMs: SCANNER_POLL_MS,
    });
  }

  async open(): Promise<void> {
    const iface = await this.#reader.open();
    if (this.#model.protocol !== 'hid-pos') return;
    const pages = applicationUsagePages(await readReportDescriptor(this.#device, iface.interfaceNumber));
    if (!pages.includes(BAR_CODE_SCANNER_PAGE)) {
      await this.#reader.close();
      const found = pages.map((page) => `0x${page.toString(16)}`).join(', ') || 'none';
      throw new Error(`${this.#model.name}: not a HID POS barcode scanner (its report descriptor declares usage page ${found}, not 0x8c); set it to HID POS mode, or configure it as hid-keyboard`);
    }
  }

  /** Reads until close() or until the device fails; a failure (unplug included) is thrown to the caller. */
  readLoop(onRead: (read: ScanRead) => void): Promise<void> {
    return this.#reader.readLoop(interpreterFor(this.#model), onRead);
  }

  close(): Promise<void> {
    return this.#reader.close();
  }
}

function interpreterFor(model: ScannerModel): ReportInterpreter<ScanRead> {
  if (model.protocol === 'hid-pos') {
    const scans = new HidPosScanAssembler();
    return { report: (bytes) => scans.push(bytes), quiet: () => scans.quiet() };
  }
  const keys = new BootKeyboardDecoder();
  const scans = new KeyboardScanAssembler(model);
  return {
    report: (bytes) => keys.push(bytes).flatMap((stroke) => scans.push(stroke) ?? []),
    quiet: () => scans.idle(),
  };
}
