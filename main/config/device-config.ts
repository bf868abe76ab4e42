/**
 * The device parts of station.json: which devices to use (mode), which device reads swiped cards
 * (the PIN pad's encrypting head or a separate plain reader), which virtual card reader and barcode
 * scanner stand in, USB models beyond the built-in lists, and the virtual PIN pad's key injection.
 * Every field added after the first release has a default, so an older station.json still loads.
 * docs/peripherals.md explains each field.
 */
import { z } from 'zod';
import { DEVICE_MODES } from '../../common/devices.ts';

const hex = (digits: number) => z.string().regex(new RegExp(`^[0-9A-F]{${digits}}$`), `${digits} upper-case hex digits`);

/** "0801:0002", as lsusb prints it. */
const UsbIdSchema = z.string().regex(/^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$/, 'vendor:product as four hex digits each, e.g. "0801:0002"');

const CardReaderEntrySchema = z.discriminatedUnion('protocol', [
  z.strictObject({ name: z.string().min(1), usbId: UsbIdSchema, protocol: z.literal('magtek-hid'), reportLength: z.number().int().min(8).max(1024) }),
  z.strictObject({ name: z.string().min(1), usbId: UsbIdSchema, protocol: z.literal('hid-keyboard'), sendsLrc: z.boolean(), endsWithEnter: z.boolean() }),
]);

const ScannerEntrySchema = z.discriminatedUnion('protocol', [
  z.strictObject({ name: z.string().min(1), usbId: UsbIdSchema, protocol: z.literal('hid-pos') }),
  z.strictObject({ name: z.string().min(1), usbId: UsbIdSchema, protocol: z.literal('hid-keyboard'), endsWithEnter: z.boolean() }),
]);

/**
 * Which device reads swiped cards. pin-pad: the PIN pad's own stripe head, an encrypting reader
 * (the station gets the masked read and the encrypted tracks, never the PAN or a track);
 * card-reader: the separate card reader (vendor HID or keyboard emulation), which is not encrypting.
 */
export const STRIPE_READERS = ['pin-pad', 'card-reader'] as const;
export type StripeReader = (typeof STRIPE_READERS)[number];

export const DevicesConfigSchema = z.strictObject({
  /** auto: a real USB device where one is found, the virtual twin otherwise; usb: real devices only; virtual: twins only. */
  mode: z.enum(DEVICE_MODES),
  stripeReader: z.enum(STRIPE_READERS).default('card-reader'),
  /** The virtual card reader's interface: vendor HID reports (MagTek layout) or keyboard emulation. */
  virtualCardReader: z.enum(['magtek-hid', 'hid-keyboard']).default('magtek-hid'),
  /** The virtual barcode scanner's interface: HID POS reports (usage page 0x8C) or keyboard emulation. */
  virtualScanner: z.enum(['hid-pos', 'hid-keyboard']).default('hid-pos'),
  /** Models the built-in lists (known-readers.ts, known-pin-pads.ts, known-printers.ts, known-scanners.ts) lack, matched by VID/PID. Printers of USB class 7 need no entry. */
  usb: z
    .strictObject({
      cardReaders: z.array(CardReaderEntrySchema).default([]),
      pinPads: z.array(z.strictObject({ name: z.string().min(1), usbId: UsbIdSchema })).default([]),
      /** cjk: whether the printer's resident font prints Chinese (GB18030); without it receipts print in English. */
      printers: z.array(z.strictObject({ name: z.string().min(1), usbId: UsbIdSchema, cjk: z.enum(['gb18030', 'none']) })).default([]),
      scanners: z.array(ScannerEntrySchema).default([]),
    })
    .default({ cardReaders: [], pinPads: [], printers: [], scanners: [] }),
});
export type DevicesConfig = z.infer<typeof DevicesConfigSchema>;

/** The ANSI X9.24-3:2017 test initial key (BDK FEDCBA9876543210F1F1F1F1F1F1F1F1, initial key ID 1234567890123456). */
const TEST_AES_INITIAL_KEY = '1273671EA26AC29AFA4D1084127652A1';
const TEST_AES_INITIAL_KSN = '123456789012345600000000';
/**
 * The stripe head's data keys, from the host's test card data BDKs (bank/config/host.json
 * security.dataBdk FEDCBA98765432100123456789ABCDEF at KSN FFFF9876543211E00000, and .aesDataBdk
 * F1F1F1F1F1F1F1F1FEDCBA9876543210 for initial key ID 1234567890123457): keys and serial numbers of
 * their own, apart from the PIN keys'.
 */
const TEST_DATA_IPEK = 'BAB47B03A60474250E06DEC886864A69';
const TEST_DATA_INITIAL_KSN = 'FFFF9876543211E00000';
const TEST_AES_DATA_INITIAL_KEY = 'D5C19183BD99D48E460E747EB3155D44';
const TEST_AES_DATA_INITIAL_KSN = '123456789012345700000000';

/** Key injection for the virtual PIN pad: initial keys and KSNs, never a BDK. */
export const VirtualPinPadConfigSchema = z.strictObject({
  /** iso0-tdes-dukpt: ISO 9564 format 0 under ANSI X9.24-1 TDES DUKPT; iso4-aes-dukpt: format 4 under X9.24-3 AES DUKPT. */
  pinBlockFormat: z.enum(['iso0-tdes-dukpt', 'iso4-aes-dukpt']).default('iso0-tdes-dukpt'),
  /** TDES: the IPEK and the initial 10-byte KSN. */
  ipek: hex(32),
  initialKsn: hex(20),
  /** AES: the AES-128 initial key and the initial 12-byte KSN. */
  aesInitialKey: hex(32).default(TEST_AES_INITIAL_KEY),
  aesInitialKsn: hex(24).default(TEST_AES_INITIAL_KSN),
  /** The stripe head's DUKPT data key, of the same key type as the PIN key: TDES IPEK and initial KSN… */
  dataIpek: hex(32).default(TEST_DATA_IPEK),
  dataInitialKsn: hex(20).default(TEST_DATA_INITIAL_KSN),
  /** …or AES-128 initial key and initial KSN. */
  aesDataInitialKey: hex(32).default(TEST_AES_DATA_INITIAL_KEY),
  aesDataInitialKsn: hex(24).default(TEST_AES_DATA_INITIAL_KSN),
});
export type VirtualPinPadConfig = z.infer<typeof VirtualPinPadConfigSchema>;

export const DEFAULT_DEVICES_CONFIG: DevicesConfig = {
  mode: 'virtual',
  stripeReader: 'card-reader',
  virtualCardReader: 'magtek-hid',
  virtualScanner: 'hid-pos',
  usb: { cardReaders: [], pinPads: [], printers: [], scanners: [] },
};

export const DEFAULT_VIRTUAL_PIN_PAD_CONFIG: VirtualPinPadConfig = {
  pinBlockFormat: 'iso0-tdes-dukpt',
  // ANSI X9.24-1 test key: IPEK of BDK 0123456789ABCDEFFEDCBA9876543210 at KSN FFFF9876543210E00000.
  ipek: '6AC292FAA1315B4D858AB3A3D7D5933A',
  initialKsn: 'FFFF9876543210E00000',
  aesInitialKey: TEST_AES_INITIAL_KEY,
  aesInitialKsn: TEST_AES_INITIAL_KSN,
  dataIpek: TEST_DATA_IPEK,
  dataInitialKsn: TEST_DATA_INITIAL_KSN,
  aesDataInitialKey: TEST_AES_DATA_INITIAL_KEY,
  aesDataInitialKsn: TEST_AES_DATA_INITIAL_KSN,
};

export function parseUsbId(usbId: string): { vendorId: number; productId: number } {
  const [vendor = '', product = ''] = usbId.split(':');
  return { vendorId: Number.parseInt(vendor, 16), productId: Number.parseInt(product, 16) };
}
