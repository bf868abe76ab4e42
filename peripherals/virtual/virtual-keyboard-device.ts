/**
 * A virtual keyboard-emulation ("wedge") device: a USB HID boot keyboard (interface 3/1/1, one
 * interrupt IN endpoint) that types text a key at a time, as 8-byte boot keyboard reports (press,
 * release), US layout. The keyboard card reader and the keyboard barcode scanner are both this.
 */
import { BOOT_KEYBOARD_REPORT_LENGTH, reportsForChar, reportsForEnter } from '../hid/boot-keyboard.ts';
import { VirtualHidInputDevice, type VirtualDeviceModel } from './virtual-hid-input-device.ts';

export abstract class VirtualKeyboardDevice extends VirtualHidInputDevice {
  constructor(model: VirtualDeviceModel, serialNumber: string) {
    // HID boot interface (subclass 1), keyboard protocol (1): 8-byte boot keyboard reports.
    super(model, serialNumber, { subclass: 1, protocol: 1, packetSize: BOOT_KEYBOARD_REPORT_LENGTH });
  }

  /** Types characters as key reports (press, release), optionally followed by Enter. */
  type(text: string, thenEnter: boolean): void {
    const reports = [...text].flatMap((char) => reportsForChar(char));
    this.pushReports(...reports, ...(thenEnter ? reportsForEnter() : []));
  }
}
