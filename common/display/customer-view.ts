/**
 * What the customer-facing display shows, as one state the station pushes: the idle screen with the
 * merchant's name, the sale as it is rung up (lines, total, VAT, paid and due) with the tender in
 * progress, or the thank-you screen with the change. The display holds no logic of its own: the
 * station projects this from the sale's committed events and the payment flow's progress
 * (main/display/customer-view-projection.ts), and the display page only renders it.
 *
 * It is deliberately narrower than the sale: no card legs, no masked PAN, no cashier id, nothing
 * the person on the other side of the counter has no business seeing.
 */
import { z } from 'zod';
import { LocalizedTextSchema } from '../catalog.ts';
import { CurrencySchema, MoneySchema, PAYMENT_STEPS } from '../payment.ts';
import { SaleTotalsSchema, TENDER_TYPES } from '../sale/model.ts';

/** idle: welcome with the merchant's name · sale: lines and the tender in progress · thank_you: paid, with the change. */
export const CUSTOMER_SCREENS = ['idle', 'sale', 'thank_you'] as const;
export type CustomerScreen = (typeof CUSTOMER_SCREENS)[number];

export const CustomerLineSchema = z.object({
  lineNo: z.number().int().min(1),
  name: LocalizedTextSchema,
  quantity: z.number().int().min(1),
  unitPrice: MoneySchema,
  /** Both discounts of the line together (its own and its share of the sale's); zero when none. */
  discount: MoneySchema,
  /** What the customer pays for the line, VAT included. */
  amount: MoneySchema,
});
export type CustomerLine = z.infer<typeof CustomerLineSchema>;

export const CustomerSaleSchema = z.object({
  receiptNumber: z.string(),
  lines: z.array(CustomerLineSchema),
  totals: SaleTotalsSchema,
  paid: MoneySchema,
  due: MoneySchema,
});
export type CustomerSale = z.infer<typeof CustomerSaleSchema>;

/**
 * The tender in progress, as the customer follows it: "insert, tap or swipe", "enter your PIN",
 * approved or declined, the cash handed over and the change. `qr` is the slot for a wallet payment's
 * code (the customer scans it): a QR tender's flow puts its payload in its progress and it shows here.
 */
export const CustomerTenderSchema = z.object({
  type: z.enum(TENDER_TYPES),
  step: z.enum(PAYMENT_STEPS),
  amount: MoneySchema,
  /** Digits typed on the PIN pad so far: a count only. */
  pinDigits: z.number().int().min(0).max(12).optional(),
  cash: z.object({ received: MoneySchema, change: MoneySchema }).optional(),
  qr: z.object({ payload: z.string().min(1).max(512) }).optional(),
});
export type CustomerTender = z.infer<typeof CustomerTenderSchema>;

export const CustomerViewSchema = z.object({
  screen: z.enum(CUSTOMER_SCREENS),
  merchantName: LocalizedTextSchema,
  currency: CurrencySchema,
  /** The sale on the sale screen; the sale just paid on the thank-you screen. */
  sale: CustomerSaleSchema.optional(),
  tender: CustomerTenderSchema.optional(),
  /** Thank-you screen: the change handed back over the sale's cash tenders, when there was any. */
  change: MoneySchema.optional(),
});
export type CustomerView = z.infer<typeof CustomerViewSchema>;
