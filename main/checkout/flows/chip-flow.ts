/**
 * The card flow for an inserted chip card (EMV contact): a payment. The kernel's steps run inside
 * the states (emv-flow-steps.ts); the states are where the card transaction stands.
 *
 *   reading ──pin_needed──▶ enter_pin ──go_online──▶ authorizing ──approved──▶ approved
 *      │ └──go_online (no CVM / signature)─────────▶    │ ──declined──▶ declined
 *      ├──declined (AAC at the first GENERATE AC)──▶ declined          │ ──reverse──▶ reversing ──reversed──▶ failed
 *      └──refused (chip error, not accepted, card pulled out)──▶ failed   └──no_answer / refused──▶ failed
 *   cancel: reading, enter_pin → cancelled          pin_refused (pad cancelled, timeout) → cancelled
 *
 * No cancel once the 0200 is out: the answer goes to the card, and a host approval the card refuses
 * (second GENERATE AC: AAC) or a card pulled out after the approval is reversed (`reversing`).
 */
import { defineMachine } from '../../../common/fsm.ts';
import { authorize, EMV_FINAL_STATES, EMV_TRANSITIONS, emvContext, enterPin, readCard, reverse, type EmvContext, type EmvEvent, type EmvFlowPorts, type EmvFlowSettings } from './emv-flow-steps.ts';
import type { TenderFlow } from './tender-flow.ts';

const STATES = ['reading', 'enter_pin', 'authorizing', 'reversing', 'approved', 'declined', 'cancelled', 'failed'] as const;
type State = (typeof STATES)[number];

export const chipMachine = defineMachine<State, EmvEvent | 'cancel' | 'error', undefined>({
  name: 'chip card flow',
  initial: 'reading',
  states: STATES,
  final: EMV_FINAL_STATES,
  transitions: [
    ...EMV_TRANSITIONS,
    // The host approved, the card did not complete (AAC at the second GENERATE AC, pulled out): give the approval back.
    { from: 'authorizing', event: 'reverse', to: 'reversing' },
    { from: 'reversing', event: 'reversed', to: 'failed' },
  ],
});

export function chipFlow(settings: EmvFlowSettings, ports: EmvFlowPorts): TenderFlow<State, EmvEvent, EmvContext> {
  return {
    tender: 'card',
    entryMode: 'chip',
    operations: ['payment'],
    machine: chipMachine,
    createContext: emvContext,
    steps: { reading: 'reading', enter_pin: 'enter_pin', authorizing: 'authorizing', reversing: 'authorizing', approved: 'approved', declined: 'declined', cancelled: 'cancelled', failed: 'failed' },
    outcomes: { approved: 'approve', declined: 'decline', cancelled: 'cancel', failed: 'fail' },
    activities: {
      reading: (run) => readCard(run, settings, ports),
      enter_pin: (run) => enterPin(run, settings, ports),
      authorizing: (run) => authorize(run, settings, ports),
      reversing: (run) => reverse(run, ports),
    },
    // However the flow ended (an activity that threw included), the card is powered off.
    release: ({ card }) => card.end(),
  };
}
