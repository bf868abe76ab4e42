/**
 * A shift and its reports as the cashier and the head office see them. An X report is the shift so
 * far (nothing changes); the Z report is printed at the close, with the blind count and the
 * over/short, and is kept with the shift as printed. Both come from the journal's kept totals.
 */
import { z } from 'zod';
import { VatRateBpSchema } from './catalog.ts';
import { CARD_SCHEMES } from './card/scheme.ts';
import { MoneySchema } from './payment.ts';
import { TENDER_TYPES } from './sale/tender-kinds.ts';

const CountAmount = z.object({ count: z.number().int(), amount: MoneySchema });

export const ShiftSchema = z.object({
  id: z.number().int(),
  status: z.enum(['open', 'closed']),
  openedBy: z.string(),
  openedAt: z.string(),
  float: MoneySchema,
  closedBy: z.string().optional(),
  closedAt: z.string().optional(),
});
export type Shift = z.infer<typeof ShiftSchema>;

export const ShiftReportSchema = z.object({
  kind: z.enum(['X', 'Z']),
  shift: ShiftSchema,
  at: z.string(),
  /** Paid sales, net of voids; and how many were cancelled before being paid. */
  sales: CountAmount,
  cancelled: z.number().int(),
  voids: CountAmount,
  byTender: z.array(z.object({ type: z.enum(TENDER_TYPES), count: z.number().int(), amount: MoneySchema })),
  byScheme: z.array(z.object({ scheme: z.enum(CARD_SCHEMES), count: z.number().int(), amount: MoneySchema })),
  /** Paid sales by VAT rate (VAT-inclusive amount and the VAT in it), net of voids. */
  byVatRate: z.array(z.object({ rateBp: VatRateBpSchema, amount: MoneySchema, vat: MoneySchema })),
  refunds: z.object({
    total: CountAmount,
    byTender: z.array(z.object({ type: z.enum(TENDER_TYPES), count: z.number().int(), amount: MoneySchema })),
    byVatRate: z.array(z.object({ rateBp: VatRateBpSchema, amount: MoneySchema, vat: MoneySchema })),
  }),
  cash: z.object({
    float: MoneySchema,
    sales: MoneySchema,
    refunds: MoneySchema,
    paidIn: MoneySchema,
    paidOut: MoneySchema,
    /** float + cash sales − cash refunds + paid in − paid out */
    expected: MoneySchema,
    /** The Z report's blind count, and counted − expected (negative: short). */
    counted: MoneySchema.optional(),
    overShort: z.object({ sign: z.enum(['over', 'short', 'even']), amount: MoneySchema }).optional(),
  }),
  noSales: z.number().int(),
  /** The card batch as it stands (the open one), its settlement totals. */
  batch: z.object({ batchNumber: z.string(), debits: CountAmount, credits: CountAmount }),
});
export type ShiftReport = z.infer<typeof ShiftReportSchema>;

export const OPERATOR_ROLES = ['cashier', 'supervisor'] as const;
export const SignedInSchema = z.object({ id: z.string(), name: z.string(), role: z.enum(OPERATOR_ROLES) });
export type SignedIn = z.infer<typeof SignedInSchema>;

/** Who is at the till and which shift the drawer is in. */
export const SessionSchema = z.object({ operator: SignedInSchema.optional(), shift: ShiftSchema.optional() });
export type SessionState = z.infer<typeof SessionSchema>;
