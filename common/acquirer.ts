/** The acquirer link's state and the end-of-day batch report, as the checkout UI is told them. */
import { z } from 'zod';
import { CARD_SCHEMES } from './card/scheme.ts';
import { JOURNAL_STATUSES } from './journal.ts';
import { TENDER_STATES } from './sale/model.ts';
import { MoneySchema } from './payment.ts';

/** down: no signed-on connection · signing_on: an 0800 sign-on is out · up: signed on and answering. */
export const LINK_STATES = ['down', 'signing_on', 'up'] as const;
export type LinkState = (typeof LINK_STATES)[number];

/** tls: TLS 1.3 with mutual authentication · plain: TCP without encryption (configured explicitly). */
export const LINK_TRANSPORTS = ['tls', 'plain'] as const;
export type LinkTransport = (typeof LINK_TRANSPORTS)[number];

export const LinkStatusSchema = z.object({
  state: z.enum(LINK_STATES),
  /** How the link is protected; 'plain' shows as "not encrypted" in the status bar. */
  transport: z.enum(LINK_TRANSPORTS),
  /** Reversals in the store-and-forward queue, waiting for their 0410. */
  pendingReversals: z.number().int().min(0),
});
export type LinkStatus = z.infer<typeof LinkStatusSchema>;

const CountAmountSchema = z.object({ count: z.number().int().min(0), amount: MoneySchema });
export type CountAmount = z.infer<typeof CountAmountSchema>;

export const SETTLEMENT_RESULTS = ['in_balance', 'in_balance_after_upload'] as const;
export type SettlementResult = (typeof SETTLEMENT_RESULTS)[number];

/**
 * A batch's totals. For the open batch it is a preview; for a closed one it is the report as it
 * stood at the close, which never changes afterwards. Settlement totals (debits, credits, net) count
 * approved purchases and refunds only; the other tables show everything that was tried.
 */
export const BatchReportSchema = z.object({
  batchNumber: z.string().regex(/^\d{6}$/),
  openedAt: z.string(),
  closedAt: z.string().optional(),
  settlement: z.enum(SETTLEMENT_RESULTS).optional(),
  totals: z.object({
    debits: CountAmountSchema,
    credits: CountAmountSchema,
    /** Debits less credits; sign D when debits are larger or equal, C otherwise (DE97). */
    net: z.object({ sign: z.enum(['D', 'C']), amount: MoneySchema }),
  }),
  byScheme: z.array(z.object({ scheme: z.enum(CARD_SCHEMES), sales: CountAmountSchema, refunds: CountAmountSchema })),
  byType: z.object({ sale: CountAmountSchema, refund: CountAmountSchema, void: CountAmountSchema }),
  /** How the batch's card tenders ended (reports of batches closed before sales existed counted requests by journal status). */
  byResult: z.array(z.object({ result: z.enum([...new Set([...TENDER_STATES, ...JOURNAL_STATUSES])] as [string, ...string[]]), count: z.number().int().min(0), amount: MoneySchema })),
});
export type BatchReport = z.infer<typeof BatchReportSchema>;
