/**
 * Every tender's own state machine, whatever its type (common/fsm.ts):
 *
 *   in_progress ──approve──▶ approved ──request_void [no refunds]──▶ void_pending ──confirm_void──▶ voided
 *        ├──decline──▶ declined                 ▲                        │
 *        ├──fail─────▶ failed                   └──────refuse_void───────┘
 *        └──cancel───▶ cancelled
 *
 * A cash void is confirmed at once (the cash is handed back); a card void waits for the host's
 * 0410. How a tender gets from in_progress to an outcome is its payment flow (main/checkout/flows/).
 */
import { defineMachine } from '../../common/fsm.ts';
import { TENDER_STATES, type TenderState } from '../../common/sale/model.ts';

export const TENDER_EVENTS = ['approve', 'decline', 'fail', 'cancel', 'request_void', 'confirm_void', 'refuse_void'] as const;
export type TenderEvent = (typeof TENDER_EVENTS)[number];

export interface TenderStateContext {
  readonly refundedMinor: number;
}

export const tenderStateMachine = defineMachine<TenderState, TenderEvent, TenderStateContext>({
  name: 'tender',
  initial: 'in_progress',
  states: TENDER_STATES,
  final: ['declined', 'failed', 'cancelled', 'voided'],
  transitions: [
    { from: 'in_progress', event: 'approve', to: 'approved' },
    { from: 'in_progress', event: 'decline', to: 'declined' },
    { from: 'in_progress', event: 'fail', to: 'failed' },
    { from: 'in_progress', event: 'cancel', to: 'cancelled' },
    { from: 'approved', event: 'request_void', to: 'void_pending', guard: { name: 'no refunds of it', test: (c) => c.refundedMinor === 0 } },
    { from: 'void_pending', event: 'confirm_void', to: 'voided' },
    { from: 'void_pending', event: 'refuse_void', to: 'approved' },
  ],
});

/** The tender holds the customer's money: approved and not on its way back. */
export const holdsMoney = (state: TenderState): boolean => state === 'approved';
