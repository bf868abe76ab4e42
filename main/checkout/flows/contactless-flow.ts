/**
 * The card flow for a tapped card (EMV contactless, Visa qVSDC and UnionPay qUICS): a payment. The
 * card gives its ARQC at GET PROCESSING OPTIONS and leaves the field at "remove card", before any PIN
 * or the host; there is no second GENERATE AC, so nothing to reverse after the answer.
 *
 *   reading ──pin_needed (at or above the CVM limit, or the card asks)──▶ enter_pin ──go_online──▶ authorizing
 *      └──go_online (no CVM)──────────────────────────────────────────────────────────────────▶    │
 *      └──refused (insert the card: at or above the contactless limit; tap again; not accepted)──▶ failed
 *   authorizing ──approved──▶ approved · ──declined──▶ declined · ──no_answer / refused──▶ failed
 *   cancel: reading, enter_pin → cancelled
 */
import { defineMachine } from '../../../common/fsm.ts';
import { authorize, EMV_FINAL_STATES, EMV_TRANSITIONS, emvContext, enterPin, readCard, type EmvContext, type EmvEvent, type EmvFlowPorts, type EmvFlowSettings } from './emv-flow-steps.ts';
import type { TenderFlow } from './tender-flow.ts';

const STATES = ['reading', 'enter_pin', 'authorizing', 'approved', 'declined', 'cancelled', 'failed'] as const;
type State = (typeof STATES)[number];

export const contactlessMachine = defineMachine<State, EmvEvent | 'cancel' | 'error', undefined>({
  name: 'contactless card flow',
  initial: 'reading',
  states: STATES,
  final: EMV_FINAL_STATES,
  // No reversing: a tap has no second GENERATE AC, so the card cannot refuse an approval.
  transitions: EMV_TRANSITIONS,
});

export function contactlessFlow(settings: EmvFlowSettings, ports: EmvFlowPorts): TenderFlow<State, EmvEvent, EmvContext> {
  return {
    tender: 'card',
    entryMode: 'contactless',
    operations: ['payment'],
    machine: contactlessMachine,
    createContext: emvContext,
    steps: { reading: 'reading', enter_pin: 'enter_pin', authorizing: 'authorizing', approved: 'approved', declined: 'declined', cancelled: 'cancelled', failed: 'failed' },
    outcomes: { approved: 'approve', declined: 'decline', cancelled: 'cancel', failed: 'fail' },
    activities: {
      reading: (run) => readCard(run, settings, ports),
      enter_pin: (run) => enterPin(run, settings, ports),
      authorizing: (run) => authorize(run, settings, ports),
    },
    // However the flow ended (an activity that threw included), the card is powered off.
    release: ({ card }) => card.end(),
  };
}
