/** The checkout window's contract: what the cashier's UI may ask of the station, and what it is told. */
import { z } from 'zod';
import { CARD_SCHEMES } from '../card/scheme.ts';
import { DEVICE_MODES, DeviceStatusSchema } from '../devices.ts';
import { CurrencySchema, MoneySchema, PaymentProgressSchema } from '../payment.ts';
import { ReceiptModelSchema } from '../receipt/model.ts';
import { defineContract } from './define-contract.ts';

const NoInput = z.strictObject({});

export const LocalizedTextSchema = z.object({ 'zh-CN': z.string(), en: z.string() });

export const ProductSchema = z.object({
  sku: z.string(),
  name: LocalizedTextSchema,
  price: MoneySchema,
  category: z.string(),
});
export type Product = z.infer<typeof ProductSchema>;

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

export const JOURNAL_STATUSES = ['pending', 'approved', 'declined', 'failed'] as const;

export const JournalEntrySchema = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  kind: z.enum(['purchase']),
  amount: MoneySchema,
  maskedPan: z.string(),
  scheme: z.enum(CARD_SCHEMES),
  stan: z.string(),
  status: z.enum(JOURNAL_STATUSES),
  responseCode: z.string().optional(),
  approvalCode: z.string().optional(),
  rrn: z.string().optional(),
});
export type JournalEntry = z.infer<typeof JournalEntrySchema>;

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
  },
  events: {
    paymentProgress: PaymentProgressSchema,
    deviceStatus: DeviceStatusSchema,
    receiptPrinted: ReceiptPrintedSchema,
  },
});
export type CheckoutContract = typeof checkoutContract;
