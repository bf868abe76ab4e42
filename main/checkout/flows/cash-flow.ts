/**
 * The cash flow: the cashier has typed what the customer handed over (the sale checked it covers
 * the amount, common to every tender: sale.ts); the tender is approved, then the drawer opens for
 * the cash to go in and the change to come out.
 *
 *   counting ──accepted──▶ opening_drawer ──opened──▶ approved
 *
 * The approval is journaled before the drawer opens: a drawer that does not open (printer
 * unplugged) leaves the sale paid and the cashier told by the printer's status, never a sale
 * unrecorded with cash in the drawer.
 */
import { defineMachine } from '../../../common/fsm.ts';
import type { DrawerPort } from '../ports.ts';
import type { TenderFlow } from './tender-flow.ts';

const STATES = ['counting', 'opening_drawer', 'approved'] as const;
type State = (typeof STATES)[number];
type Event = 'accepted' | 'opened';

export const cashMachine = defineMachine<State, Event | 'cancel' | 'error', undefined>({
  name: 'cash flow',
  initial: 'counting',
  states: STATES,
  final: ['approved'],
  transitions: [
    { from: 'counting', event: 'accepted', to: 'opening_drawer' },
    { from: 'opening_drawer', event: 'opened', to: 'approved' },
    // The cash is taken either way; the printer's status tells the cashier why the drawer stayed shut.
    { from: 'opening_drawer', event: 'error', to: 'approved' },
  ],
});

export function cashFlow(drawer: DrawerPort): TenderFlow<State, Event, undefined> {
  return {
    tender: 'cash',
    entryMode: 'cash',
    operations: ['payment'],
    machine: cashMachine,
    createContext: () => undefined,
    steps: { counting: 'authorizing', opening_drawer: 'opening_drawer', approved: 'approved' },
    outcomes: { approved: 'approve' },
    activities: {
      counting: async (run) => {
        run.settle('approve');
        return 'accepted';
      },
      opening_drawer: async () => {
        await drawer.kick('cash_tender');
        return 'opened';
      },
    },
  };
}
