/**
 * The simulated-devices panel's contract. The panel stands in for the hardware itself: it swipes
 * test cards through the virtual reader, inserts and taps chip cards on the virtual chip reader, presses keys on the virtual PIN pad's own keypad, pulls
 * and plugs the virtual devices' cables, opens the printer cover, takes its paper away, shuts the
 * cash drawer and scans barcodes with the virtual scanner.
 * It talks to the virtual devices, never to the checkout.
 */
import { z } from 'zod';
import { CARD_SCHEMES } from '../card/scheme.ts';
import { LocalizedTextSchema } from '../catalog.ts';
import { DEVICE_KINDS } from '../devices.ts';
import { defineContract } from './define-contract.ts';

export const PIN_PAD_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', 'cancel', 'enter'] as const;
export type PinPadKey = (typeof PIN_PAD_KEYS)[number];

export const TestCardSchema = z.object({
  id: z.string(),
  label: z.string(),
  maskedPan: z.string(),
  scheme: z.enum(CARD_SCHEMES).optional(),
  /** The PIN the issuer expects, printed on the panel because these are test cards. */
  testPin: z.string(),
  /** A chip card: whether it can be inserted (contact) and tapped (contactless). */
  chip: z.object({ contact: z.boolean(), contactless: z.boolean() }).optional(),
});
export type TestCard = z.infer<typeof TestCardSchema>;

export const PinPadDisplaySchema = z.object({
  lines: z.array(z.string()).max(4),
  /** Number of digits typed so far; the digits themselves never leave the PIN pad. */
  pinDigits: z.number().int().min(0).max(12),
  awaitingPin: z.boolean(),
});
export type PinPadDisplay = z.infer<typeof PinPadDisplaySchema>;

export const SWIPE_FAULTS = ['none', 'bad_read', 'partial_track'] as const;
/** An inserted card pulled out part-way through the transaction (after a few commands). */
export const INSERT_FAULTS = ['none', 'removed_mid_transaction'] as const;
/** A tapped card taken out of the field before the read is complete. */
export const TAP_FAULTS = ['none', 'leaves_field_early'] as const;

export const VirtualDevicesSchema = z.object({
  devices: z.array(
    z.object({
      device: z.enum(DEVICE_KINDS),
      /** The virtual device's cable. */
      plugged: z.boolean(),
      /** Whether the station uses this virtual device: not in usb mode, nor once real hardware took the role in auto mode. */
      inUse: z.boolean(),
    }),
  ),
  printer: z.object({
    paperOut: z.boolean(),
    paperNearEnd: z.boolean(),
    coverOpen: z.boolean(),
    /** The cash drawer on the printer's kick-out connector is open (a pulse opened it). */
    drawerOpen: z.boolean(),
    /** The printer will pull its own cable part-way through the next receipt. */
    unplugDuringNextReceipt: z.boolean(),
  }),
  /** The virtual chip reader: the card in its contact slot, if any (a tapped card leaves the field by itself once read). */
  chipReader: z.object({ insertedCardId: z.string().optional() }),
});
export type VirtualDevices = z.infer<typeof VirtualDevicesSchema>;

export const ScanCodesSchema = z.object({
  /** Catalog items with a barcode that match the query (a few at a time: the catalog may hold thousands). */
  items: z.array(z.object({ sku: z.string(), gtin: z.string(), name: LocalizedTextSchema })),
  /** A well-formed EAN-13 the catalog does not know, to try the unknown-code path. */
  unknownCode: z.string(),
});
export type ScanCodes = z.infer<typeof ScanCodesSchema>;

/** A test wallet as the virtual phone lists it (test data: the password is shown so a demo can type it). */
export const PhoneWalletSchema = z.object({
  id: z.string(),
  label: z.string(),
  password: z.string(),
  passwordAboveMinor: z.number().int().nullable(),
  expect: z.string().optional(),
});
export type PhoneWallet = z.infer<typeof PhoneWalletSchema>;
const WalletId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'a test wallet id');
/** What the phone shows: the answer, or why the phone or the platform refused (`problem`). */
const PhoneProblem = { problem: z.string().optional() };

export const simulatorContract = defineContract({
  name: 'sim',
  methods: {
    listTestCards: { input: z.strictObject({}), output: z.array(TestCardSchema) },
    swipeCard: {
      input: z.strictObject({ cardId: z.string().min(1).max(64), fault: z.enum(SWIPE_FAULTS).default('none') }),
      output: z.object({ swiped: z.boolean() }),
    },
    /** The card goes into the virtual chip reader's contact slot; `inserted` is false when the station does not use the virtual reader. */
    insertChipCard: {
      input: z.strictObject({ cardId: z.string().min(1).max(64), fault: z.enum(INSERT_FAULTS).default('none') }),
      output: z.object({ inserted: z.boolean() }),
    },
    /** The card comes into the virtual reader's contactless field, and leaves it once the station has read it. */
    tapChipCard: {
      input: z.strictObject({ cardId: z.string().min(1).max(64), fault: z.enum(TAP_FAULTS).default('none') }),
      output: z.object({ tapped: z.boolean() }),
    },
    /** The card in the contact slot is pulled out. */
    removeChipCard: { input: z.strictObject({}), output: VirtualDevicesSchema },
    pressPinPadKey: { input: z.strictObject({ key: z.enum(PIN_PAD_KEYS) }), output: z.object({ accepted: z.boolean() }) },
    /** Ends the PIN entry in progress as the pad's own timeout would; `expired` is false when none was waiting. */
    expirePinEntry: { input: z.strictObject({}), output: z.object({ expired: z.boolean() }) },
    getVirtualDevices: { input: z.strictObject({}), output: VirtualDevicesSchema },
    setDevicePlugged: { input: z.strictObject({ device: z.enum(DEVICE_KINDS), plugged: z.boolean() }), output: VirtualDevicesSchema },
    setPrinterCondition: {
      input: z.strictObject({ paperOut: z.boolean().optional(), paperNearEnd: z.boolean().optional(), coverOpen: z.boolean().optional() }),
      output: VirtualDevicesSchema,
    },
    /** The printer pulls its own cable after the first part of the next receipt, so a mid-receipt unplug is deterministic. */
    unplugPrinterDuringNextReceipt: { input: z.strictObject({}), output: VirtualDevicesSchema },
    /** Barcodes the virtual scanner can scan: catalog items matching `query` (name, SKU, GTIN), and an unknown code. */
    listScanCodes: { input: z.strictObject({ query: z.string().max(100) }), output: ScanCodesSchema },
    /** The virtual scanner reads `code`; `scanned` is false when the station does not use it (a USB scanner took its place). */
    scanBarcode: { input: z.strictObject({ code: z.string().trim().min(1).max(256) }), output: z.object({ scanned: z.boolean() }) },
    /** The virtual phone's test wallets. */
    listWallets: { input: z.strictObject({}), output: z.array(PhoneWalletSchema) },
    /** The phone scans a merchant-presented code: `payload`, or the one the station shows now; it checks the code and shows the order. */
    phoneScan: {
      input: z.strictObject({ walletId: WalletId, payload: z.string().min(1).max(512).optional() }),
      output: z.object({ merchantName: z.string().optional(), amountMinor: z.number().int().optional(), orderCode: z.string().optional(), passwordRequired: z.boolean().optional(), ...PhoneProblem }),
    },
    /** The phone pays a scanned order, with the payment password when the wallet asks for one. */
    phonePay: {
      input: z.strictObject({ walletId: WalletId, orderCode: z.string().regex(/^[A-Za-z0-9]{8,64}$/), password: z.string().regex(/^\d{6}$/).optional() }),
      output: z.object({ tradeState: z.string().optional(), ...PhoneProblem }),
    },
    /** The phone shows a fresh payment code (customer-presented) for the cashier to scan. */
    phonePaymentCode: { input: z.strictObject({ walletId: WalletId }), output: z.object({ code: z.string().optional(), expiresAt: z.string().optional(), ...PhoneProblem }) },
    /** The phone confirms, with the password, the payment waiting for it ("user paying"). */
    phoneConfirm: { input: z.strictObject({ walletId: WalletId, password: z.string().regex(/^\d{6}$/) }), output: z.object({ tradeState: z.string().optional(), ...PhoneProblem }) },
    /** Someone pushes the cash drawer shut. */
    closeDrawer: { input: z.strictObject({}), output: VirtualDevicesSchema },
  },
  events: {
    pinPadDisplay: PinPadDisplaySchema,
    virtualDevices: VirtualDevicesSchema,
  },
});
export type SimulatorContract = typeof simulatorContract;
