/**
 * The virtual barcode scanners, at the USB transfer level like every twin:
 *   VirtualHidPosScanner       a HID POS scanner (interface 3/0/0, 64-byte reports, a report
 *                              descriptor on usage page 0x8C) that sends each scan with its AIM
 *                              symbology identifier;
 *   VirtualKeyboardScanner     a keyboard-emulation scanner that types the code, then Enter.
 * Scanning a code is all the simulated-devices panel does with either.
 */
import { VirtualHidInputDevice } from '../virtual/virtual-hid-input-device.ts';
import { VirtualKeyboardDevice } from '../virtual/virtual-keyboard-device.ts';
import { aimIdFor } from './aim-symbology.ts';
import { HID_POS_SCANNER_REPORT_DESCRIPTOR } from './hid-pos-descriptor.ts';
import { encodeScannedDataReports, HID_POS_REPORT_LENGTH } from './hid-pos-report.ts';
import { VIRTUAL_HID_POS_SCANNER, VIRTUAL_KEYBOARD_SCANNER } from './known-scanners.ts';

export interface VirtualScanner {
  /** Reads a printed code, as the cashier pulling the trigger over it would. */
  scan(code: string): void;
}

export class VirtualHidPosScanner extends VirtualHidInputDevice implements VirtualScanner {
  constructor(serialNumber = 'VSCN-0001') {
    super(VIRTUAL_HID_POS_SCANNER, serialNumber, { subclass: 0, protocol: 0, packetSize: HID_POS_REPORT_LENGTH, reportDescriptor: HID_POS_SCANNER_REPORT_DESCRIPTOR });
  }

  scan(code: string): void {
    const { aimId, data } = aimIdFor(code);
    this.pushReports(...encodeScannedDataReports(new TextEncoder().encode(data), aimId));
  }
}

export class VirtualKeyboardScanner extends VirtualKeyboardDevice implements VirtualScanner {
  constructor(serialNumber = 'VKSC-0001') {
    super(VIRTUAL_KEYBOARD_SCANNER, serialNumber);
  }

  /** Types the code and Enter; a character no US-layout key types cannot be scanned this way (RangeError). */
  scan(code: string): void {
    this.type(code, true);
  }
}
