/**
 * Receipt printer models by USB VID/PID. The virtual printer uses VID 0x1209 (pid.codes, the
 * open-hardware vendor ID) and PID 0x7a03, next to the virtual card reader's and PIN pad's
 * (0x7a01, 0x7a02). These PIDs are not registered with pid.codes; that is harmless because a
 * virtual device never appears on a USB bus, the pair only names it in status and logs.
 * Real printers need no entry here: the driver finds them by interface class 7.
 */
export interface PrinterModel {
  readonly name: string;
  readonly vendorId: number;
  readonly productId: number;
}

export const VIRTUAL_PRINTER: PrinterModel = { name: 'Virtual thermal printer (ESC/POS, 80 mm)', vendorId: 0x1209, productId: 0x7a03 };
