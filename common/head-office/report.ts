/**
 * The head office's report over a range of business days, as the server sends it to the report
 * page and the CLI prints it. Amounts are integer minor units of the row's currency; "net" is sales
 * less voids and refunds.
 */
import { z } from 'zod';
import { CurrencySchema } from '../payment.ts';

const Minor = z.number().int();
const Count = z.number().int();
const Day = z.iso.date();

export const ReportQuerySchema = z
  .object({ from: Day, to: Day, silentAfterMinutes: z.coerce.number().int().min(1).max(60 * 24 * 30).default(60) })
  .refine((query) => query.from <= query.to, 'from is after to');
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

export const SalesRowSchema = z.object({
  businessDay: Day,
  shopId: z.string(),
  stationId: z.string(),
  currency: CurrencySchema,
  salesCount: Count,
  salesMinor: Minor,
  discountMinor: Minor,
  vatMinor: Minor,
  voidsCount: Count,
  voidsMinor: Minor,
  refundsCount: Count,
  refundsMinor: Minor,
  netMinor: Minor,
});
export type SalesRow = z.infer<typeof SalesRowSchema>;

export const ShopRowSchema = SalesRowSchema.omit({ businessDay: true, stationId: true }).extend({ shopName: z.string(), stations: Count });

export const TenderRowSchema = z.object({
  shopId: z.string(),
  kind: z.string(),
  /** Card scheme, or the wallet for QR; empty for cash. */
  scheme: z.string(),
  currency: CurrencySchema,
  count: Count,
  amountMinor: Minor,
  refundsCount: Count,
  refundsMinor: Minor,
});

export const VatRowSchema = z.object({
  shopId: z.string(),
  vatRateBp: z.number().int(),
  currency: CurrencySchema,
  grossMinor: Minor,
  vatMinor: Minor,
});

export const ShiftRowSchema = z.object({
  shiftId: z.string(),
  shopId: z.string(),
  stationId: z.string(),
  businessDay: Day,
  cashier: z.string(),
  state: z.enum(['open', 'closed']),
  currency: CurrencySchema,
  expectedCashMinor: Minor,
  countedCashMinor: Minor.nullable(),
  overShortMinor: Minor.nullable(),
});

export const SettlementRowSchema = z.object({
  stationId: z.string(),
  shopId: z.string(),
  /** The station's latest settlement, if it ever settled. */
  batchNumber: z.string().nullable(),
  businessDay: Day.nullable(),
  result: z.string().nullable(),
  settledAt: z.string().nullable(),
  currency: CurrencySchema.nullable(),
  debitsMinor: Minor.nullable(),
  creditsMinor: Minor.nullable(),
});

export const StationStatusSchema = z.object({
  stationId: z.string(),
  shopId: z.string(),
  name: z.string(),
  lastContactAt: z.string().nullable(),
  /** Events the station said it had that the head office does not hold yet. */
  backlog: Count,
  /** Not heard from for longer than the report's silentAfterMinutes (or never). */
  silent: z.boolean(),
});

export const HeadOfficeReportSchema = z.object({
  from: Day,
  to: Day,
  generatedAt: z.string(),
  silentAfterMinutes: z.number().int(),
  byShop: z.array(ShopRowSchema),
  byStationDay: z.array(SalesRowSchema),
  tenders: z.array(TenderRowSchema),
  vat: z.array(VatRowSchema),
  shifts: z.array(ShiftRowSchema),
  settlements: z.array(SettlementRowSchema),
  stations: z.array(StationStatusSchema),
});
export type HeadOfficeReport = z.infer<typeof HeadOfficeReportSchema>;
