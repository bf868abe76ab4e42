/**
 * The station's transaction journal as the UI sees it: one entry per message that moved or could
 * have moved money (purchase, refund, balance inquiry) and one per reversal sent for one of them.
 */
import { z } from 'zod';
import { CARD_SCHEMES } from './card/scheme.ts';
import { MoneySchema } from './payment.ts';

export const JOURNAL_KINDS = ['purchase', 'refund', 'balance_inquiry', 'reversal'] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

/**
 * pending: the request is out (or a crash left it so) · approved / declined: the host answered ·
 * failed: it never reached the host · reversal_pending: a 0400 is queued for it · reversed: the host
 * confirmed the reversal (0410) · voided: the cashier voided it and the host confirmed.
 */
export const JOURNAL_STATUSES = ['pending', 'approved', 'declined', 'failed', 'reversal_pending', 'reversed', 'voided'] as const;
export type JournalStatus = (typeof JOURNAL_STATUSES)[number];

/** DE39 of a 0400: 17 customer cancellation (a void), 68 no response received in time. */
export const REVERSAL_REASONS = ['17', '68'] as const;
export type ReversalReason = (typeof REVERSAL_REASONS)[number];

export const JournalEntrySchema = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  kind: z.enum(JOURNAL_KINDS),
  amount: MoneySchema,
  maskedPan: z.string(),
  scheme: z.enum(CARD_SCHEMES),
  stan: z.string(),
  status: z.enum(JOURNAL_STATUSES),
  responseCode: z.string().optional(),
  approvalCode: z.string().optional(),
  rrn: z.string().optional(),
  /** DE60 of the batch the transaction belongs to; absent for rows carried over from before batches existed. */
  batchNumber: z.string().optional(),
  /** A refund: the purchase it refunds. A reversal: the transaction it reverses. */
  originalId: z.number().int().optional(),
  /** A refund: the RRN (DE37) of the purchase it refunds. */
  originalRrn: z.string().optional(),
  reversalReason: z.enum(REVERSAL_REASONS).optional(),
  /** What the station would still refund of this purchase; absent when it cannot be refunded. */
  refundable: MoneySchema.optional(),
  /** Whether the station would void it now (an approved purchase or refund of the open batch). */
  voidable: z.boolean(),
});
export type JournalEntry = z.infer<typeof JournalEntrySchema>;
