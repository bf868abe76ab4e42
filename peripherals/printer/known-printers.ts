/**
 * Receipt printer models by USB VID/PID. Any printer of USB class 7 is found by its class and needs
 * no entry; an entry adds what the class cannot say: whether the resident font prints Chinese.
 * A printer matched by class alone is assumed to have no CJK font, so its receipts print in
 * English (readable everywhere) rather than as question marks. More models come from the station
 * config (devices.usb.printers).
 *
 * The virtual printer uses VID 0x1209 (pid.codes, the open-hardware vendor ID) and PID 0x7a03, next
 * to the virtual card readers' and PIN pad's. These PIDs are not registered with pid.codes; that is
 * harmless because a virtual device never appears on a USB bus, the pair only names it in status and logs.
 */
import type { CjkSupport } from './printer-text.ts';

export interface PrinterModel {
  readonly name: string;
  readonly vendorId: number;
  readonly productId: number;
  readonly cjk: CjkSupport;
}

export const VIRTUAL_PRINTER: PrinterModel = { name: 'Virtual thermal printer (ESC/POS, 80 mm)', vendorId: 0x1209, productId: 0x7a03, cjk: 'gb18030' };

export const KNOWN_PRINTERS: readonly PrinterModel[] = [VIRTUAL_PRINTER];

/** What the station assumes of a class-7 printer it has no entry for. */
export const GENERIC_USB_PRINTER = { name: 'USB receipt printer (class 7)', cjk: 'none' } as const satisfies Pick<PrinterModel, 'name' | 'cjk'>;
