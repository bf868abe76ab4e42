/**
 * The sale as every reader outside the station's core sees it: the checkout UI, the receipt, the
 * customer display and the head office. One schema, so what IPC carries, what the outbox stores and
 * what a receipt is rebuilt from are the same record. The rules that produce it live in main/sales/.
 */
import { z } from 'zod';
import { LocalizedTextSchema, VatRateBpSchema } from '../catalog.ts';
import { CARD_SCHEMES } from '../card/scheme.ts';
import { JOURNAL_KINDS, JOURNAL_STATUSES } from '../journal.ts';
import { MoneySchema } from '../payment.ts';
import { ENTRY_MODES, TENDER_TYPES } from './tender-kinds.ts';

/** open → tendering → paid, then voided or (partly) refunded; cancelled when given up before it was paid. docs/sales.md. */
export const SALE_STATUSES = ['open', 'tendering', 'paid', 'voided', 'partly_refunded', 'refunded', 'cancelled'] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];

export { ENTRY_MODES, TENDER_TYPES, type EntryMode, type TenderType } from './tender-kinds.ts';

/**
 * in_progress: its flow runs · approved: it holds the money · declined / failed / cancelled: it never
 * did · void_pending: being given back (a card void waits for the host) · voided: given back.
 */
export const TENDER_STATES = ['in_progress', 'approved', 'declined', 'failed', 'cancelled', 'void_pending', 'voided'] as const;
export type TenderState = (typeof TENDER_STATES)[number];

/** A discount by amount (in the sale's currency) or by percent (basis points: 1000 = 10 %). */
export const DiscountSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('amount'), amountMinor: z.number().int().min(1) }),
  z.strictObject({ kind: z.literal('percent'), basisPoints: z.number().int().min(1).max(10_000) }),
]);
export type Discount = z.infer<typeof DiscountSchema>;

export const SaleLineSchema = z.object({
  lineNo: z.number().int().min(1),
  sku: z.string(),
  name: LocalizedTextSchema,
  quantity: z.number().int().min(1),
  unitPrice: MoneySchema,
  /** Set when a supervisor overrode the catalog price: the catalog's price. */
  catalogUnitPrice: MoneySchema.optional(),
  lineDiscount: DiscountSchema.optional(),
  vatRateBp: VatRateBpSchema,
  /** unit price × quantity */
  gross: MoneySchema,
  lineDiscountAmount: MoneySchema,
  /** This line's share of the whole-sale discount (largest remainder). */
  saleDiscountShare: MoneySchema,
  /** What the customer pays for the line: gross less both discounts. VAT-inclusive. */
  amount: MoneySchema,
  vat: MoneySchema,
});
export type SaleLine = z.infer<typeof SaleLineSchema>;

export const VatByRateSchema = z.object({ rateBp: VatRateBpSchema, amount: MoneySchema, vat: MoneySchema });
export type VatByRate = z.infer<typeof VatByRateSchema>;

export const SaleTotalsSchema = z.object({
  subtotal: MoneySchema,
  discount: MoneySchema,
  total: MoneySchema,
  vat: MoneySchema,
  vatByRate: z.array(VatByRateSchema),
});
export type SaleTotals = z.infer<typeof SaleTotalsSchema>;

/** One ISO 8583 exchange of a card tender, as journaled: a redacted summary, never the message. */
export const CardLegSchema = z.object({
  id: z.number().int(),
  kind: z.enum(JOURNAL_KINDS),
  mti: z.string(),
  processingCode: z.string(),
  amount: MoneySchema,
  transmittedAt: z.string(),
  stan: z.string(),
  /** DE22 as sent. */
  posEntryMode: z.string(),
  maskedPan: z.string(),
  scheme: z.enum(CARD_SCHEMES),
  status: z.enum(JOURNAL_STATUSES),
  responseCode: z.string().optional(),
  approvalCode: z.string().optional(),
  rrn: z.string().optional(),
  /** PIN attempt of the tender (1 for the first); a 55 leaves its leg declined and the tender going on. */
  attempt: z.number().int().min(1),
  batchNumber: z.string().optional(),
  createdAt: z.string(),
});
export type CardLeg = z.infer<typeof CardLegSchema>;

export const TenderCardSchema = z.object({
  maskedPan: z.string(),
  scheme: z.enum(CARD_SCHEMES),
  approvalCode: z.string().optional(),
  rrn: z.string().optional(),
  stan: z.string().optional(),
  responseCode: z.string().optional(),
});

/** A QR tender's wallet payment: what a receipt shows and a refund needs, no more of the payer. */
export const TenderQrSchema = z.object({
  mode: z.enum(['merchant_presented', 'customer_presented']),
  /** The wallet's brand (DemoPay). */
  wallet: z.string(),
  /** The station's order number at the wallet (out_trade_no): what a refund names. */
  orderNo: z.string(),
  transactionId: z.string().optional(),
  /** The payer's account as the wallet masks it ("138****0001"). */
  maskedPayer: z.string().optional(),
});
export type TenderQr = z.infer<typeof TenderQrSchema>;

export const TenderSchema = z.object({
  id: z.number().int().min(1),
  type: z.enum(TENDER_TYPES),
  entryMode: z.enum(ENTRY_MODES).optional(),
  state: z.enum(TENDER_STATES),
  /** What the tender pays of the sale. */
  amount: MoneySchema,
  /** Cash: what the customer handed over, and the change given. */
  received: MoneySchema.optional(),
  change: MoneySchema.optional(),
  /** Given back so far by refunds of this tender. */
  refunded: MoneySchema,
  card: TenderCardSchema.optional(),
  qr: TenderQrSchema.optional(),
  legs: z.array(CardLegSchema),
});
export type Tender = z.infer<typeof TenderSchema>;

export const SaleSchema = z.object({
  /** UUIDv7: unique across stations, ordered by time. */
  id: z.string(),
  stationId: z.string(),
  /** The human number on the receipt, per station. */
  receiptNumber: z.string(),
  status: z.enum(SALE_STATUSES),
  currency: MoneySchema.shape.currency,
  openedAt: z.string(),
  updatedAt: z.string(),
  paidAt: z.string().optional(),
  cashierId: z.string().optional(),
  shiftId: z.number().int().optional(),
  lines: z.array(SaleLineSchema),
  saleDiscount: DiscountSchema.optional(),
  totals: SaleTotalsSchema,
  tenders: z.array(TenderSchema),
  /** Approved tenders' amounts; `due` is what is left to pay. */
  paid: MoneySchema,
  due: MoneySchema,
  /** Refunded so far, all tenders together. */
  refunded: MoneySchema,
  /** Carried over from a journal made before sales existed: one card payment, no lines, no VAT. */
  legacy: z.boolean(),
});
export type Sale = z.infer<typeof SaleSchema>;

/** A row of the transactions list. */
export const SaleSummarySchema = SaleSchema.pick({ id: true, receiptNumber: true, status: true, openedAt: true, paidAt: true, cashierId: true, legacy: true, paid: true, refunded: true }).extend({
  total: MoneySchema,
  tenders: z.array(TenderSchema.pick({ id: true, type: true, state: true, amount: true, card: true })),
});
export type SaleSummary = z.infer<typeof SaleSummarySchema>;
