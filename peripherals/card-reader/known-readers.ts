/**
 * Card reader models the station knows by USB VID/PID, and how each one talks:
 *   magtek-hid    vendor-defined HID reports in the MagTek layout (magtek-report.ts), one per swipe;
 *   hid-keyboard  keyboard emulation: boot keyboard reports typing the tracks (peripherals/hid/boot-keyboard.ts).
 * VID 0x1209 is pid.codes, the open-hardware vendor ID; our virtual devices use product IDs under it
 * so they never collide with real hardware. More models come from the station config
 * (devices.usb.cardReaders); docs/peripherals.md says how to add one.
 */
export type CardReaderModel =
  | { readonly name: string; readonly vendorId: number; readonly productId: number; readonly protocol: 'magtek-hid'; readonly reportLength: number }
  | {
      readonly name: string;
      readonly vendorId: number;
      readonly productId: number;
      readonly protocol: 'hid-keyboard';
      /** The reader types each track's LRC character after its end sentinel. */
      readonly sendsLrc: boolean;
      /** The reader ends a swipe with Enter (most do, by default). */
      readonly endsWithEnter: boolean;
    };

export const VIRTUAL_CARD_READER: CardReaderModel = { name: 'Virtual MSR (MagTek HID layout)', vendorId: 0x1209, productId: 0x7a01, protocol: 'magtek-hid', reportLength: 337 };

export const VIRTUAL_KEYBOARD_CARD_READER: CardReaderModel = {
  name: 'Virtual MSR (keyboard emulation)',
  vendorId: 0x1209,
  productId: 0x7a04,
  protocol: 'hid-keyboard',
  sendsLrc: false,
  endsWithEnter: true,
};

export const KNOWN_CARD_READERS: readonly CardReaderModel[] = [
  VIRTUAL_CARD_READER,
  VIRTUAL_KEYBOARD_CARD_READER,
  { name: 'MagTek Dynamag / USB HID Swipe Reader', vendorId: 0x0801, productId: 0x0002, protocol: 'magtek-hid', reportLength: 337 },
  // MagTek's factory setting for keyboard emulation: sentinels, no LRC, Enter after the last track.
  { name: 'MagTek Mini Swipe Reader (keyboard emulation)', vendorId: 0x0801, productId: 0x0001, protocol: 'hid-keyboard', sendsLrc: false, endsWithEnter: true },
];
