/**
 * Barcode scanner models the station knows by USB VID/PID, and how each one talks:
 *   hid-pos       HID POS (usage page 0x8C): one scanned-data report per scan, with the symbology;
 *   hid-keyboard  keyboard emulation ("wedge"): boot keyboard reports typing the code, then Enter.
 * Most scanners do either, chosen by scanning a setup barcode, and present a different product ID in
 * each mode. VID 0x1209 is pid.codes, the open-hardware vendor ID of our virtual devices. More
 * models come from the station config (devices.usb.scanners); docs/peripherals.md says how.
 */
export type ScannerModel =
  | { readonly name: string; readonly vendorId: number; readonly productId: number; readonly protocol: 'hid-pos' }
  | {
      readonly name: string;
      readonly vendorId: number;
      readonly productId: number;
      readonly protocol: 'hid-keyboard';
      /** The scanner types Enter after each code (the factory suffix of most); without it a scan ends when the keystrokes stop. */
      readonly endsWithEnter: boolean;
    };

export const VIRTUAL_HID_POS_SCANNER: ScannerModel = { name: 'Virtual barcode scanner (HID POS)', vendorId: 0x1209, productId: 0x7a10, protocol: 'hid-pos' };

export const VIRTUAL_KEYBOARD_SCANNER: ScannerModel = { name: 'Virtual barcode scanner (keyboard emulation)', vendorId: 0x1209, productId: 0x7a11, protocol: 'hid-keyboard', endsWithEnter: true };

export const KNOWN_SCANNERS: readonly ScannerModel[] = [
  VIRTUAL_HID_POS_SCANNER,
  VIRTUAL_KEYBOARD_SCANNER,
  // Zebra (Symbol) handheld scanners in their factory "USB HID keyboard" host mode: code, then Enter.
  { name: 'Zebra (Symbol) barcode scanner (keyboard emulation)', vendorId: 0x05e0, productId: 0x1200, protocol: 'hid-keyboard', endsWithEnter: true },
];
