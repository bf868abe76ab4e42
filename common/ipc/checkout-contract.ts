/**
 * The checkout window's contract: what the cashier's UI may ask of the station, and what it is told.
 * The station owns the sale: the UI sends SKUs, quantities, discounts and the amounts a cashier
 * types (in fen), never a price; it follows the sale through the currentSale event.
 */
import { z } from 'zod';
import { BatchReportSchema, LinkStatusSchema } from '../acquirer.ts';
import { BarcodeScanSchema } from '../barcode-scan.ts';
import { LocalizedTextSchema, ProductSchema } from '../catalog.ts';
import { CARD_SCHEMES } from '../card/scheme.ts';
import { HeadOfficeStatusSchema } from '../head-office/upload-status.ts';
import { DEVICE_MODES, DeviceStatusSchema, PrintedDocumentSchema, RECEIPT_ISSUES, ReceiptIssueSchema } from '../devices.ts';
import { MAX_AMOUNT_MINOR } from '../money.ts';
import { CurrencySchema, PaymentProgressSchema } from '../payment.ts';
import { ReceiptModelSchema } from '../receipt/model.ts';
import { DiscountSchema, SaleSchema, SaleSummarySchema, TENDER_TYPES } from '../sale/model.ts';
import { SessionSchema, ShiftReportSchema, ShiftSchema } from '../shift.ts';
import { defineContract } from './define-contract.ts';

const NoInput = z.strictObject({});

// The catalog's shapes live in common/catalog.ts; re-exported here because the contract carries them.
export { LocalizedTextSchema, ProductSchema, type Product } from '../catalog.ts';

export const StationInfoSchema = z.object({
  merchantName: LocalizedTextSchema,
  merchantId: z.string(),
  terminalId: z.string(),
  currency: CurrencySchema,
  acceptedSchemes: z.array(z.enum(CARD_SCHEMES)),
  deviceMode: z.enum(DEVICE_MODES),
  acquirer: z.object({ host: z.string(), port: z.number().int(), bundled: z.boolean() }),
  /** The shell the station runs in: the Electron app or the browser target. */
  shell: z.enum(['electron', 'browser']),
});
export type StationInfo = z.infer<typeof StationInfoSchema>;

/** An amount the cashier typed, in fen (minor units): a whole number, never a float. */
export const fen = (what: string, minimum = 1) =>
  z
    .number(`${what} must be a number of fen`)
    .int(`${what} must be a whole number of fen`)
    .min(minimum, minimum === 0 ? `${what} cannot be negative` : `${what} must be more than zero`)
    .max(MAX_AMOUNT_MINOR, `${what} is too large`);

/** A supervisor's approval in place: their own operator id and PIN, typed on the checkout screen. */
export const ApprovalSchema = z.strictObject({ operatorId: z.string().regex(/^\d{3,8}$/, 'an operator id of 3 to 8 digits'), pin: z.string().regex(/^\d{4,8}$/, 'a PIN of 4 to 8 digits') });
export type Approval = z.infer<typeof ApprovalSchema>;

export const GivenBackSchema = z.object({
  sale: SaleSchema,
  /** What became of each tender that held money: cash handed back, a card void sent and confirmed, or waiting for the host. */
  tenders: z.array(z.object({ tenderId: z.number().int(), type: z.enum(TENDER_TYPES), amountMinor: z.number().int(), fate: z.enum(['returned_cash', 'void_pending', 'voided']) })),
});
export type GivenBack = z.infer<typeof GivenBackSchema>;

const TenderStarted = z.object({ paymentId: z.string(), saleId: z.string(), tenderId: z.number().int() });
const LineNo = z.number().int().min(1).max(10_000);
const Quantity = z.number().int('a quantity is a whole number').min(1, 'a quantity is at least 1').max(999, 'at most 999 of one item');

export const checkoutContract = defineContract({
  name: 'pos',
  methods: {
    getStationInfo: { input: NoInput, output: StationInfoSchema },
    listCatalog: { input: NoInput, output: z.array(ProductSchema) },
    listDevices: { input: NoInput, output: z.array(DeviceStatusSchema) },
    getLinkStatus: { input: NoInput, output: LinkStatusSchema },

    /** Who is signed in and which shift is open. */
    getSession: { input: NoInput, output: SessionSchema },
    signIn: { input: z.strictObject({ operatorId: z.string().min(1).max(8), pin: z.string().min(1).max(8) }), output: SessionSchema },
    signOut: { input: NoInput, output: SessionSchema },
    openShift: { input: z.strictObject({ floatMinor: fen('the float', 0) }), output: ShiftSchema },
    /** Cash paid into or out of the drawer outside a sale, with the reason; answers the X report as it now stands. */
    moveCash: { input: z.strictObject({ kind: z.enum(['paid_in', 'paid_out']), amountMinor: fen('the amount'), reason: z.string().min(1).max(80) }), output: ShiftReportSchema },
    /** Opens the drawer without a sale; a supervisor approves. */
    noSale: { input: z.strictObject({ reason: z.string().max(80), approval: ApprovalSchema }), output: z.object({ opened: z.boolean() }) },
    getXReport: { input: NoInput, output: ShiftReportSchema },
    printXReport: { input: NoInput, output: ShiftReportSchema },
    /** The blind close: the cashier's count of the drawer; answers the Z report with the expected cash and the over/short. */
    closeShift: { input: z.strictObject({ countedMinor: fen('the count', 0) }), output: ShiftReportSchema },

    /** The sale open or being paid (also one a restart found partly paid). */
    getCurrentSale: { input: NoInput, output: z.object({ sale: SaleSchema.optional() }) },
    /** Rings up an item; the first one opens a sale. */
    addItem: { input: z.strictObject({ sku: z.string().min(1).max(64), quantity: Quantity }), output: SaleSchema },
    setLineQuantity: { input: z.strictObject({ lineNo: LineNo, quantity: Quantity }), output: SaleSchema },
    removeLine: { input: z.strictObject({ lineNo: LineNo }), output: SaleSchema },
    setLineDiscount: { input: z.strictObject({ lineNo: LineNo, discount: DiscountSchema.optional() }), output: SaleSchema },
    setSaleDiscount: { input: z.strictObject({ discount: DiscountSchema.optional() }), output: SaleSchema },
    overridePrice: { input: z.strictObject({ lineNo: LineNo, unitPriceMinor: fen('the price', 0), approval: ApprovalSchema }), output: SaleSchema },
    /** Gives up the current sale; tenders that hold money are given back first, each one's fate in the answer. */
    cancelSale: { input: NoInput, output: GivenBackSchema },
    /** A card tender of the current sale, for `amountMinor` (what is due when left out); the card is presented next. */
    startCardTender: { input: z.strictObject({ amountMinor: fen('the card amount').optional() }), output: TenderStarted },
    /** A cash tender: `amountMinor` of the sale (what is due when left out), paid with `receivedMinor` handed over. */
    startCashTender: { input: z.strictObject({ amountMinor: fen('the cash amount').optional(), receivedMinor: fen('the cash received') }), output: TenderStarted },
    /**
     * A QR tender, for `amountMinor` (what is due when left out). merchant_presented: the station
     * shows its code (paymentProgress step show_qr carries qr.payload for the checkout and the
     * customer display); customer_presented: the cashier scans the customer's payment code next (scan_qr).
     */
    startQrTender: { input: z.strictObject({ amountMinor: fen('the QR amount').optional(), mode: z.enum(['merchant_presented', 'customer_presented']) }), output: TenderStarted },
    cancelPayment: { input: z.strictObject({ paymentId: z.string().min(1).max(64) }), output: z.object({ cancelled: z.boolean() }) },
    /** The application the customer chose, by its index in the payment's `applicationChoice`; `chosen` is false when no choice is pending. */
    chooseApplication: { input: z.strictObject({ paymentId: z.string().min(1).max(64), index: z.number().int().min(0).max(15) }), output: z.object({ chosen: z.boolean() }) },
    /** Starts a balance inquiry: swipe and PIN, no sale. */
    startBalanceInquiry: { input: NoInput, output: z.object({ paymentId: z.string() }) },

    /** Sales newest first, `limit` at a time; `before` is the last sale of the previous page (keyset). */
    listSales: { input: z.strictObject({ before: z.string().max(36).optional(), limit: z.number().int().min(1).max(200) }), output: z.object({ sales: z.array(SaleSummarySchema) }) },
    getSale: { input: z.strictObject({ saleId: z.string().min(1).max(36) }), output: SaleSchema },
    /** Voids a paid sale, every tender (a supervisor approves). */
    voidSale: { input: z.strictObject({ saleId: z.string().min(1).max(36), approval: ApprovalSchema }), output: GivenBackSchema },
    /** Refunds part of one tender (a supervisor approves): cash at once; a card once it is presented again (a payment flow follows). */
    refundTender: {
      input: z.strictObject({ saleId: z.string().min(1).max(36), tenderId: z.number().int().min(1), amountMinor: fen('the refund'), approval: ApprovalSchema }),
      output: z.object({ sale: SaleSchema.optional(), paymentId: z.string().optional() }),
    },
    /** Prints any sale's receipt again, rebuilt from the journal and marked as a reprint. */
    reprintReceipt: { input: z.strictObject({ saleId: z.string().min(1).max(36) }), output: z.object({ printed: z.boolean(), issue: z.enum(RECEIPT_ISSUES).optional() }) },

    /** The open card batch's totals so far. */
    getOpenBatch: { input: NoInput, output: BatchReportSchema },
    /** Settles the open batch with the host (a supervisor approves) and answers its closed report. */
    settleBatch: { input: z.strictObject({ approval: ApprovalSchema }), output: BatchReportSchema },
    listBatches: { input: z.strictObject({ limit: z.number().int().min(1).max(100) }), output: z.array(BatchReportSchema) },

    /** Leaves kiosk mode and quits the app, a supervisor approving; refused when the station is not in kiosk mode. */
    exitKiosk: { input: z.strictObject({ approval: ApprovalSchema }), output: z.object({ exiting: z.literal(true) }) },
  },
  events: {
    /** The running payment flow (or balance inquiry), step by step. */
    paymentProgress: PaymentProgressSchema,
    /** The till's current sale as it changes; no sale once it is paid, cancelled or given up. */
    currentSale: z.object({ sale: SaleSchema.optional() }),
    /** Any sale changed (paid, refunded, a void confirmed later by the host): the transactions view. */
    saleChanged: SaleSummarySchema,
    /** Sign-in, sign-out, shift opened or closed. */
    session: SessionSchema,
    deviceStatus: DeviceStatusSchema,
    receiptPrinted: z.object({ document: PrintedDocumentSchema, receipt: ReceiptModelSchema }),
    /** A receipt or report did not print cleanly: refused (paper out, cover open) or possibly incomplete. */
    receiptIssue: ReceiptIssueSchema,
    /** The acquirer link went up or down, or the reversal queue grew or shrank. */
    linkStatus: LinkStatusSchema,
    /** The upload to the head office (only where station.json names one): its state and backlog, for the status bar. */
    headOfficeStatus: HeadOfficeStatusSchema,
    /** The barcode scanner read a code; the station says what its catalog made of it (common/barcode-scan.ts). */
    barcodeScanned: BarcodeScanSchema,
    /** Someone pressed the kiosk's exit keys: the checkout asks for a supervisor, then calls exitKiosk. */
    kioskExitRequested: z.object({}),
  },
});
export type CheckoutContract = typeof checkoutContract;
