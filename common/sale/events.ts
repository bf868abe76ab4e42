/**
 * The station's domain events: one for every change the journal records, raised inside the SQLite
 * transaction of the change (the journal's unit of work): handlers there keep the totals and, next,
 * write the head office's outbox, so they commit with the change or not at all; once committed, the
 * events go to whoever listens in the station (the checkout window; next the customer display).
 * docs/sales.md lists who emits what.
 *
 * Sale events carry the sale as it now stands: the whole of it (lines, tenders without their card
 * legs, which have events of their own) when it is opened or its lines change, its head (status,
 * totals, paid, due) otherwise. A customer display keeps the lines of the latest sale.opened /
 * sale.changed and the figures of the latest event, and needs nothing else to draw the sale.
 */
import { z } from 'zod';
import { MoneySchema } from '../payment.ts';
import { CardLegSchema, SaleSchema, SALE_STATUSES, TENDER_STATES, TenderSchema, VatByRateSchema } from './model.ts';

export const TenderSnapshotSchema = TenderSchema.omit({ legs: true });
export type TenderSnapshot = z.infer<typeof TenderSnapshotSchema>;
export const SaleSnapshotSchema = SaleSchema.omit({ tenders: true }).extend({ tenders: z.array(TenderSnapshotSchema) });
export type SaleSnapshot = z.infer<typeof SaleSnapshotSchema>;
/** The sale's head without its lines and tenders: status, totals (VAT by rate included), paid, due. */
export const SaleHeadSchema = SaleSchema.omit({ lines: true, tenders: true });
export type SaleHead = z.infer<typeof SaleHeadSchema>;

const at = z.string();

export const DomainEventSchema = z.discriminatedUnion('type', [
  /** A sale was opened (its first item rung up). */
  z.object({ type: z.literal('sale.opened'), at, sale: SaleSnapshotSchema }),
  /** Its lines, discounts or totals changed. */
  z.object({ type: z.literal('sale.changed'), at, sale: SaleSnapshotSchema }),
  /** Its status moved (tendering, paid, cancelled, voided, refunded, …). */
  z.object({ type: z.literal('sale.status_changed'), at, sale: SaleHeadSchema, from: z.enum(SALE_STATUSES), to: z.enum(SALE_STATUSES) }),
  /** A tender began (its payment flow is running). */
  z.object({ type: z.literal('tender.started'), at, saleId: z.string(), tender: TenderSnapshotSchema, sale: SaleHeadSchema }),
  /** A tender's state moved: approved, declined, failed, cancelled, void pending, voided. */
  z.object({ type: z.literal('tender.state_changed'), at, saleId: z.string(), tender: TenderSnapshotSchema, from: z.enum(TENDER_STATES), to: z.enum(TENDER_STATES), sale: SaleHeadSchema }),
  /** Part or all of a tender was given back; its VAT share by rate. */
  z.object({ type: z.literal('tender.refunded'), at, saleId: z.string(), tender: TenderSnapshotSchema, amount: MoneySchema, vatByRate: z.array(VatByRateSchema), sale: SaleHeadSchema }),
  /** A card leg was journaled before its request left (journal-before-send). */
  z.object({ type: z.literal('card_leg.recorded'), at, saleId: z.string().optional(), leg: CardLegSchema }),
  /** A card leg's outcome: the host's answer, a reversal queued or confirmed, a void. */
  z.object({ type: z.literal('card_leg.status_changed'), at, saleId: z.string().optional(), leg: CardLegSchema, from: CardLegSchema.shape.status }),
  z.object({ type: z.literal('shift.opened'), at, shiftId: z.number().int(), operatorId: z.string(), float: MoneySchema }),
  z.object({ type: z.literal('shift.cash_moved'), at, shiftId: z.number().int(), operatorId: z.string(), kind: z.enum(['paid_in', 'paid_out', 'no_sale']), amount: MoneySchema, reason: z.string() }),
  z.object({ type: z.literal('shift.closed'), at, shiftId: z.number().int(), operatorId: z.string(), counted: MoneySchema, expected: MoneySchema }),
  z.object({ type: z.literal('report.printed'), at, kind: z.enum(['X', 'Z']), shiftId: z.number().int(), operatorId: z.string() }),
  z.object({ type: z.literal('batch.settled'), at, batchNumber: z.string(), result: z.string(), debits: MoneySchema, credits: MoneySchema }),
  /** A supervisor approved an action in place, by their own operator PIN. */
  z.object({ type: z.literal('approval.granted'), at, action: z.string(), subject: z.string(), supervisorId: z.string(), requestedBy: z.string().optional() }),
  z.object({ type: z.literal('drawer.opened'), at, reason: z.enum(['cash_tender', 'cash_refund', 'no_sale']), shiftId: z.number().int().optional() }),
  z.object({ type: z.literal('operator.signed_in'), at, operatorId: z.string(), role: z.enum(['cashier', 'supervisor']) }),
  z.object({ type: z.literal('operator.signed_out'), at, operatorId: z.string() }),
]);
export type DomainEvent = z.infer<typeof DomainEventSchema>;
export type DomainEventType = DomainEvent['type'];
export type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

/** The sale an event is about, if any: what a listener that follows sales (the checkout window, a customer display) keys on. */
export function saleIdOf(event: DomainEvent): string | undefined {
  switch (event.type) {
    case 'sale.opened':
    case 'sale.changed':
    case 'sale.status_changed':
      return event.sale.id;
    case 'tender.started':
    case 'tender.state_changed':
    case 'tender.refunded':
    case 'card_leg.recorded':
    case 'card_leg.status_changed':
      return event.saleId;
    default:
      return undefined;
  }
}
