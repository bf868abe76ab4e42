/**
 * The card legs' vocabulary: what kind of ISO 8583 exchange a leg of a card tender is, and where it
 * stands. One leg per message that moved or could have moved money (purchase, refund, balance
 * inquiry) and one per reversal sent for one of them.
 */

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
