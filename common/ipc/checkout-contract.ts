/** The checkout window's contract: what the cashier's UI may ask of the station, and what it is told. */
import { z } from 'zod';
import { BarcodeScanSchema } from '../barcode-scan.ts';
import { LocalizedTextSchema, ProductSchema } from '../catalog.ts';
import { CARD_SCHEMES } from '../card/scheme.ts';
import { DEVICE_MODES, DeviceStatusSchema, RECEIPT_ISSUES, ReceiptIssueSchema } from '../devices.ts';
import { BatchReportSchema, LinkStatusSchema } from '../acquirer.ts';
import { JournalEntrySchema } from '../journal.ts';
import { MAX_AMOUNT_MINOR } from '../money.ts';
import { CurrencySchema, MoneySchema, PaymentProgressSchema } from '../payment.ts';
import { ReceiptModelSchema } from '../receipt/model.ts';
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

// The journal's shapes live in common/journal.ts; re-exported here because the contract carries them.
export { JOURNAL_STATUSES, JournalEntrySchema, type JournalEntry } from '../journal.ts';

export const ReceiptPrintedSchema = z.object({ paymentId: z.string(), receipt: ReceiptModelSchema });

export const checkoutContract = defineContract({
  name: 'pos',
  methods: {
    getStationInfo: { input: NoInput, output: StationInfoSchema },
    listCatalog: { input: NoInput, output: z.array(ProductSchema) },
    /** Starts a card payment for the cart. The station prices the lines from its catalog; the UI sends no amount. */
    startPayment: {
      input: z.strictObject({
        lines: z
          .array(z.strictObject({ sku: z.string().min(1).max(64), quantity: z.number().int().min(1).max(999) }))
          .min(1)
          .max(200),
      }),
      output: z.object({ paymentId: z.string(), amount: MoneySchema }),
    },
    cancelPayment: { input: z.strictObject({ paymentId: z.string().min(1).max(64) }), output: z.object({ cancelled: z.boolean() }) },
    listJournal: { input: z.strictObject({ limit: z.number().int().min(1).max(200) }), output: z.array(JournalEntrySchema) },
    listDevices: { input: NoInput, output: z.array(DeviceStatusSchema) },
    getLinkStatus: { input: NoInput, output: LinkStatusSchema },
    /**
     * Starts a card-present refund of a purchase in the journal, named by its RRN. The amount is the
     * cashier's, in integer minor units; the station refuses more than is left to refund.
     */
    startRefund: {
      input: z.strictObject({
        originalRrn: z.string().regex(/^[0-9A-Z]{12}$/, '12 digits or capital letters'),
        amountMinor: z.number().int().min(1).max(MAX_AMOUNT_MINOR),
      }),
      output: z.object({ paymentId: z.string(), amount: MoneySchema }),
    },
    /** Starts a balance inquiry: swipe and PIN, no amount. */
    startBalanceInquiry: { input: NoInput, output: z.object({ paymentId: z.string() }) },
    /** Voids an approved purchase or refund of the open batch (0400 reason 17); answers the entry as it now stands. */
    voidTransaction: { input: z.strictObject({ transactionId: z.number().int().min(1) }), output: JournalEntrySchema },
    /** The open batch's totals so far. */
    getOpenBatch: { input: NoInput, output: BatchReportSchema },
    /** Settles the open batch with the host (end of day) and answers its closed report. */
    settleBatch: { input: NoInput, output: BatchReportSchema },
    /** Reports of closed batches, newest first. */
    listBatches: { input: z.strictObject({ limit: z.number().int().min(1).max(100) }), output: z.array(BatchReportSchema) },
    /**
     * Prints a recent sale's receipt again, marked as a reprint: the cashier's answer to a receipt
     * issue. The station never reprints on its own. `issue` says why this attempt did not print either.
     */
    reprintReceipt: {
      input: z.strictObject({ paymentId: z.string().min(1).max(64) }),
      output: z.object({ printed: z.boolean(), issue: z.enum(RECEIPT_ISSUES).optional() }),
    },
  },
  events: {
    paymentProgress: PaymentProgressSchema,
    deviceStatus: DeviceStatusSchema,
    receiptPrinted: ReceiptPrintedSchema,
    /** A receipt did not print cleanly: refused (paper out, cover open) or possibly incomplete. */
    receiptIssue: ReceiptIssueSchema,
    /** The acquirer link went up or down, or the reversal queue grew or shrank. */
    linkStatus: LinkStatusSchema,
    /** A journal entry changed outside a call the UI made, e.g. a queued reversal was confirmed. */
    transactionUpdated: JournalEntrySchema,
    /** The barcode scanner read a code; the station says what its catalog made of it (common/barcode-scan.ts). */
    barcodeScanned: BarcodeScanSchema,
  },
});
export type CheckoutContract = typeof checkoutContract;
