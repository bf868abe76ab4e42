/** A card payment as the cashier follows it, step by step. */
import { z } from 'zod';
import { CARD_SCHEMES } from './card/scheme.ts';
import { CURRENCIES, MAX_AMOUNT_MINOR, type CurrencyCode } from './money.ts';

export const CurrencySchema = z.enum(Object.keys(CURRENCIES) as [CurrencyCode, ...CurrencyCode[]]);
export const MoneySchema = z.object({
  amountMinor: z.number().int().min(0).max(MAX_AMOUNT_MINOR),
  currency: CurrencySchema,
});

export const PAYMENT_STEPS = ['present_card', 'reading', 'enter_pin', 'authorizing', 'approved', 'declined', 'cancelled', 'failed'] as const;
export type PaymentStep = (typeof PAYMENT_STEPS)[number];

/** Why a payment stopped short of the host, as a stable code the UI translates. */
export const PAYMENT_FAILURES = [
  'bad_read',
  'card_not_accepted',
  'card_expired',
  'pin_cancelled',
  'pin_timeout',
  'cancelled_by_cashier',
  'host_unreachable',
  'host_timeout',
  'device_error',
] as const;
export type PaymentFailure = (typeof PAYMENT_FAILURES)[number];

export const PaymentProgressSchema = z.object({
  paymentId: z.string(),
  step: z.enum(PAYMENT_STEPS),
  amount: MoneySchema,
  card: z.object({ maskedPan: z.string(), scheme: z.enum(CARD_SCHEMES) }).optional(),
  /** Digits entered so far on the PIN pad: a count only, never the digits. */
  pinDigits: z.number().int().min(0).max(12).optional(),
  outcome: z.object({ responseCode: z.string(), approvalCode: z.string().optional(), rrn: z.string().optional() }).optional(),
  failure: z.enum(PAYMENT_FAILURES).optional(),
});
export type PaymentProgress = z.infer<typeof PaymentProgressSchema>;

export function isFinalStep(step: PaymentStep): boolean {
  return step === 'approved' || step === 'declined' || step === 'cancelled' || step === 'failed';
}
