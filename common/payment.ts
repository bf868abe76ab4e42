/** A card payment as the cashier follows it, step by step. */
import { z } from 'zod';
import { CARD_SCHEMES } from './card/scheme.ts';
import { CURRENCIES, MAX_AMOUNT_MINOR, type CurrencyCode } from './money.ts';

export const CurrencySchema = z.enum(Object.keys(CURRENCIES) as [CurrencyCode, ...CurrencyCode[]]);
export const MoneySchema = z.object({
  amountMinor: z.number().int().min(0).max(MAX_AMOUNT_MINOR),
  currency: CurrencySchema,
});

/** One DE54 additional amount of a balance inquiry: 01 ledger, 02 available; a debit balance is owed. */
export const BalanceSchema = z.object({
  type: z.enum(['ledger', 'available']),
  amount: MoneySchema,
  sign: z.enum(['credit', 'debit']),
});
export type Balance = z.infer<typeof BalanceSchema>;

/** The card-present transactions the checkout runs: all share the swipe, the PIN when asked for, and the 0200. */
export const CARD_TRANSACTION_KINDS = ['purchase', 'refund', 'balance_inquiry'] as const;
export type CardTransactionKind = (typeof CARD_TRANSACTION_KINDS)[number];

export const PAYMENT_STEPS = ['present_card', 'reading', 'enter_pin', 'authorizing', 'approved', 'declined', 'cancelled', 'failed'] as const;
export type PaymentStep = (typeof PAYMENT_STEPS)[number];

/** Why a payment stopped short of the host, as a stable code the UI translates. */
export const PAYMENT_FAILURES = [
  'bad_read',
  'card_not_accepted',
  /** A refund's card is not the card the purchase was paid with. */
  'card_mismatch',
  'card_expired',
  'pin_cancelled',
  'pin_timeout',
  'cancelled_by_cashier',
  'host_unreachable',
  /** The request went out and no answer came in time: a reversal is queued, nobody was charged or credited. */
  'host_timeout',
  'device_error',
] as const;
export type PaymentFailure = (typeof PAYMENT_FAILURES)[number];

export const PaymentProgressSchema = z.object({
  paymentId: z.string(),
  kind: z.enum(CARD_TRANSACTION_KINDS),
  step: z.enum(PAYMENT_STEPS),
  amount: MoneySchema,
  card: z.object({ maskedPan: z.string(), scheme: z.enum(CARD_SCHEMES) }).optional(),
  /** Digits entered so far on the PIN pad: a count only, never the digits. */
  pinDigits: z.number().int().min(0).max(12).optional(),
  /** Present from the second PIN of a payment: the host answered 55 (wrong PIN) and the customer tries again. */
  pinAttempt: z.number().int().min(2).max(9).optional(),
  outcome: z.object({ responseCode: z.string(), approvalCode: z.string().optional(), rrn: z.string().optional() }).optional(),
  failure: z.enum(PAYMENT_FAILURES).optional(),
  /** An approved balance inquiry: the balances DE54 reported. */
  balances: z.array(BalanceSchema).optional(),
});
export type PaymentProgress = z.infer<typeof PaymentProgressSchema>;

export function isFinalStep(step: PaymentStep): boolean {
  return step === 'approved' || step === 'declined' || step === 'cancelled' || step === 'failed';
}
