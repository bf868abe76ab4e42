/** A tender's payment flow (or a balance inquiry) as the cashier follows it, step by step. */
import { z } from 'zod';
import { CARD_SCHEMES } from './card/scheme.ts';
import { CURRENCIES, MAX_AMOUNT_MINOR, type CurrencyCode } from './money.ts';
import { ENTRY_MODES, TENDER_TYPES } from './sale/tender-kinds.ts';

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

/**
 * The steps a flow shows. A card: present_card → reading → enter_pin → authorizing → outcome.
 * Cash: opening_drawer → approved. A new flow adds its own steps here (and their words in the UI).
 */
export const PAYMENT_STEPS = ['present_card', 'reading', 'enter_pin', 'authorizing', 'opening_drawer', 'approved', 'declined', 'cancelled', 'failed'] as const;
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
  /** The card came in a way (chip, contactless) no flow is registered for yet. */
  'entry_mode_not_supported',
  /** A crash ended the flow before its outcome: the station cancelled it at start-up. */
  'interrupted',
] as const;
export type PaymentFailure = (typeof PAYMENT_FAILURES)[number];

export const PaymentProgressSchema = z.object({
  /** This run: the tender's id as text, or an inquiry's own id. */
  paymentId: z.string(),
  kind: z.enum(CARD_TRANSACTION_KINDS),
  /** The sale and tender the flow pays (or refunds); absent for a balance inquiry. */
  saleId: z.string().optional(),
  tenderId: z.number().int().optional(),
  tenderType: z.enum(TENDER_TYPES),
  entryMode: z.enum(ENTRY_MODES).optional(),
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
  /** A cash tender: what the customer handed over and the change to give. */
  cash: z.object({ received: MoneySchema, change: MoneySchema }).optional(),
  /** A QR tender: the code the customer scans with a wallet app (EMVCo merchant-presented payload); the customer display shows it. */
  qr: z.object({ payload: z.string().min(1).max(512) }).optional(),
});
export type PaymentProgress = z.infer<typeof PaymentProgressSchema>;

export function isFinalStep(step: PaymentStep): boolean {
  return step === 'approved' || step === 'declined' || step === 'cancelled' || step === 'failed';
}
