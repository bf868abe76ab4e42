/** Every transition of the sale's and the tenders' machines, each guard both ways, and the moves the tables refuse. */
import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../../common/fsm.ts';
import { SALE_STATUSES, TENDER_STATES } from '../../common/sale/model.ts';
import { SALE_EVENTS, saleStatusMachine, type SaleStatusContext } from './sale-status.ts';
import { TENDER_EVENTS, tenderStateMachine } from './tender-state.ts';

const ctx = (over: Partial<SaleStatusContext> = {}): SaleStatusContext => ({ totalMinor: 1000, paidMinor: 0, refundedMinor: 0, tenderInProgress: false, holdsMoney: false, ...over });
const paidInFull = ctx({ paidMinor: 1000, holdsMoney: true });

describe('sale status machine', () => {
  const allowed: [string, string, SaleStatusContext, string][] = [
    ['open', 'edit', ctx(), 'open'],
    ['open', 'start_tender', ctx(), 'tendering'],
    ['open', 'cancel', ctx(), 'cancelled'],
    ['tendering', 'start_tender', ctx({ paidMinor: 400, holdsMoney: true }), 'tendering'],
    ['tendering', 'tender_ended', paidInFull, 'paid'],
    ['tendering', 'tender_ended', ctx({ paidMinor: 400, holdsMoney: true }), 'tendering'],
    ['tendering', 'reopen', ctx(), 'open'],
    ['tendering', 'cancel', ctx(), 'cancelled'],
    ['paid', 'void', ctx({ paidMinor: 0 }), 'voided'],
    ['paid', 'refund', ctx({ paidMinor: 1000, holdsMoney: true, refundedMinor: 300 }), 'partly_refunded'],
    ['paid', 'refund', ctx({ paidMinor: 1000, holdsMoney: true, refundedMinor: 1000 }), 'refunded'],
    ['partly_refunded', 'refund', ctx({ paidMinor: 1000, holdsMoney: true, refundedMinor: 600 }), 'partly_refunded'],
    ['partly_refunded', 'refund', ctx({ paidMinor: 1000, holdsMoney: true, refundedMinor: 1000 }), 'refunded'],
    ['voided', 'void_refused', ctx({ paidMinor: 1000, holdsMoney: true }), 'paid'],
    ['cancelled', 'void_refused', ctx({ paidMinor: 400, holdsMoney: true }), 'tendering'],
  ];

  it.each(allowed)('%s --%s--> %s', (from, event, context, to) => {
    expect(saleStatusMachine.next(from as never, event as never, context)).toBe(to);
  });

  it('lists exactly these transitions: the table is the documentation', () => {
    const listed = saleStatusMachine.transitions.map((t) => `${t.from} ${t.event} ${t.to}`).sort();
    expect(listed).toEqual([...new Set(allowed.map(([from, event, , to]) => `${from} ${event} ${to}`))].sort());
  });

  it.each([
    ['open', 'start_tender', ctx({ totalMinor: 0 }), /an amount due/],
    ['tendering', 'start_tender', ctx({ tenderInProgress: true }), /no tender running/],
    ['tendering', 'tender_ended', ctx({ tenderInProgress: true }), /fully paid or not yet fully paid/],
    ['tendering', 'reopen', ctx({ holdsMoney: true, paidMinor: 400 }), /no tender holding money/],
    ['tendering', 'cancel', ctx({ tenderInProgress: true }), /no tender holding money or running/],
    ['paid', 'void', ctx({ holdsMoney: true, paidMinor: 1000 }), /every tender given back/],
    ['paid', 'void', ctx({ refundedMinor: 100 }), /every tender given back/],
    ['paid', 'refund', ctx({ paidMinor: 1000, holdsMoney: true }), /refunded/],
    ['voided', 'void_refused', ctx(), /holding money/],
  ])('refuses %s --%s--> while its guard does not hold', (from, event, context, why) => {
    expect(() => saleStatusMachine.next(from as never, event as never, context)).toThrow(why);
  });

  it('refuses every event the table does not list from a state', () => {
    for (const status of SALE_STATUSES) {
      for (const event of SALE_EVENTS.filter((candidate) => !saleStatusMachine.eventsFrom(status).includes(candidate))) {
        expect(() => saleStatusMachine.next(status, event, paidInFull), `${status} ${event}`).toThrow(IllegalTransitionError);
      }
    }
    expect(saleStatusMachine.eventsFrom('refunded')).toEqual([]);
  });
});

describe('tender state machine', () => {
  const allowed: [string, string, number, string][] = [
    ['in_progress', 'approve', 0, 'approved'],
    ['in_progress', 'decline', 0, 'declined'],
    ['in_progress', 'fail', 0, 'failed'],
    ['in_progress', 'cancel', 0, 'cancelled'],
    ['approved', 'request_void', 0, 'void_pending'],
    ['void_pending', 'confirm_void', 0, 'voided'],
    ['void_pending', 'refuse_void', 0, 'approved'],
  ];

  it.each(allowed)('%s --%s--> %s', (from, event, refundedMinor, to) => {
    expect(tenderStateMachine.next(from as never, event as never, { refundedMinor })).toBe(to);
  });

  it('has exactly these transitions, and none out of a final state', () => {
    expect(tenderStateMachine.transitions).toHaveLength(allowed.length);
    for (const state of tenderStateMachine.final) expect(tenderStateMachine.eventsFrom(state)).toEqual([]);
    for (const state of TENDER_STATES) {
      for (const event of TENDER_EVENTS.filter((candidate) => !tenderStateMachine.eventsFrom(state).includes(candidate))) {
        expect(() => tenderStateMachine.next(state, event, { refundedMinor: 0 })).toThrow(IllegalTransitionError);
      }
    }
  });

  it('refuses to void a tender with refunds standing', () => {
    expect(() => tenderStateMachine.next('approved', 'request_void', { refundedMinor: 100 })).toThrow(/no refunds of it/);
  });
});
