/**
 * Card reader models the station knows by USB VID/PID. VID 0x1209 is pid.codes, the open-hardware
 * vendor ID; our virtual devices use product IDs under it so they never collide with real hardware.
 */
export interface CardReaderModel {
  readonly name: string;
  readonly vendorId: number;
  readonly productId: number;
  /** Input report length in bytes. */
  readonly reportLength: number;
}

export const VIRTUAL_CARD_READER: CardReaderModel = { name: 'Virtual MSR (MagTek HID layout)', vendorId: 0x1209, productId: 0x7a01, reportLength: 337 };

export const KNOWN_CARD_READERS: readonly CardReaderModel[] = [
  VIRTUAL_CARD_READER,
  { name: 'MagTek Dynamag / USB HID Swipe Reader', vendorId: 0x0801, productId: 0x0002, reportLength: 337 },
];
