/**
 * The sale's status machine, as data (common/fsm.ts). docs/sales.md draws it.
 *
 *   open ──start_tender──▶ tendering ──tender_ended [fully paid]──▶ paid ──void [all given back]──▶ voided
 *     │ ▲                    │  ▲ │                                   │ └─refund──▶ partly_refunded ──refund──▶ refunded
 *     │ └──reopen [nothing held]┘ └─start_tender / tender_ended        └─refund [all of it]──▶ refunded
 *     └──cancel──▶ cancelled ◀──cancel [nothing held]── tendering
 *
 * A card void waits for the host: the sale is voided (or cancelled) as soon as every tender is given
 * back or on its way back (void_pending), and a void the host then refuses takes it back
 * (void_refused: voided → paid, cancelled → tendering), so the sale never hides money it holds.
 */
import { defineMachine } from '../../common/fsm.ts';
import { SALE_STATUSES, type SaleStatus } from '../../common/sale/model.ts';

export const SALE_EVENTS = ['edit', 'start_tender', 'tender_ended', 'reopen', 'cancel', 'void', 'void_refused', 'refund'] as const;
export type SaleEvent = (typeof SALE_EVENTS)[number];

/** What the guards look at, derived from the sale (sale.ts). */
export interface SaleStatusContext {
  readonly totalMinor: number;
  /** Approved tenders' amounts. */
  readonly paidMinor: number;
  readonly refundedMinor: number;
  /** A tender's flow is running. */
  readonly tenderInProgress: boolean;
  /** A tender holds money: approved, not being given back. */
  readonly holdsMoney: boolean;
}

const fullyPaid = { name: 'fully paid', test: (c: SaleStatusContext) => c.paidMinor >= c.totalMinor && !c.tenderInProgress };
const notYetPaid = { name: 'not yet fully paid', test: (c: SaleStatusContext) => c.paidMinor < c.totalMinor && !c.tenderInProgress };
const somethingDue = { name: 'an amount due and no tender running', test: (c: SaleStatusContext) => c.totalMinor > c.paidMinor && !c.tenderInProgress };
const nothingHeld = { name: 'no tender holding money or running', test: (c: SaleStatusContext) => !c.holdsMoney && !c.tenderInProgress };
const allGivenBack = { name: 'every tender given back', test: (c: SaleStatusContext) => !c.holdsMoney && !c.tenderInProgress && c.refundedMinor === 0 };
const partRefunded = { name: 'part of it refunded', test: (c: SaleStatusContext) => c.refundedMinor > 0 && c.refundedMinor < c.paidMinor };
const allRefunded = { name: 'all of it refunded', test: (c: SaleStatusContext) => c.refundedMinor > 0 && c.refundedMinor >= c.paidMinor };
const holdsMoney = { name: 'a tender holding money', test: (c: SaleStatusContext) => c.holdsMoney };

export const saleStatusMachine = defineMachine<SaleStatus, SaleEvent, SaleStatusContext>({
  name: 'sale',
  initial: 'open',
  states: SALE_STATUSES,
  final: ['refunded'],
  transitions: [
    { from: 'open', event: 'edit', to: 'open' },
    { from: 'open', event: 'start_tender', to: 'tendering', guard: somethingDue },
    { from: 'open', event: 'cancel', to: 'cancelled' },
    { from: 'tendering', event: 'start_tender', to: 'tendering', guard: somethingDue },
    { from: 'tendering', event: 'tender_ended', to: 'paid', guard: fullyPaid },
    { from: 'tendering', event: 'tender_ended', to: 'tendering', guard: notYetPaid },
    { from: 'tendering', event: 'reopen', to: 'open', guard: nothingHeld },
    { from: 'tendering', event: 'cancel', to: 'cancelled', guard: nothingHeld },
    { from: 'paid', event: 'void', to: 'voided', guard: allGivenBack },
    { from: 'paid', event: 'refund', to: 'partly_refunded', guard: partRefunded },
    { from: 'paid', event: 'refund', to: 'refunded', guard: allRefunded },
    { from: 'partly_refunded', event: 'refund', to: 'partly_refunded', guard: partRefunded },
    { from: 'partly_refunded', event: 'refund', to: 'refunded', guard: allRefunded },
    { from: 'voided', event: 'void_refused', to: 'paid', guard: holdsMoney },
    { from: 'cancelled', event: 'void_refused', to: 'tendering', guard: holdsMoney },
  ],
});

/** Whether the sale is the till's current one (it can still change), rather than a closed record. */
export function isCurrentStatus(status: SaleStatus): boolean {
  return status === 'open' || status === 'tendering';
}
