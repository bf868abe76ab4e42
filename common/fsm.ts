/**
 * Finite state machines as data: states, events and transitions in one typed table, the way the
 * sale's status, each tender's state and each payment flow are written down. A table can be read
 * (documentation, tests that walk every transition) and enforced (`next` refuses a move the table
 * does not list), so no code path can put a sale or a tender in a state by assignment.
 *
 * Deliberately small: no hierarchy, no parallel regions, no timers. Guards are plain predicates
 * over a context the caller passes in; effects belong to whoever drives the machine.
 */

export interface Transition<S extends string, E extends string, C> {
  readonly from: S;
  readonly event: E;
  readonly to: S;
  /** Why the move is allowed, when it depends on more than the state (e.g. "every tender is undone"). */
  readonly guard?: { readonly name: string; readonly test: (context: C) => boolean };
}

export interface MachineDefinition<S extends string, E extends string, C = undefined> {
  readonly name: string;
  readonly initial: S;
  readonly states: readonly S[];
  readonly final: readonly S[];
  readonly transitions: readonly Transition<S, E, C>[];
}

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  readonly machine: string;
  readonly from: string;
  readonly event: string;

  constructor(machine: string, from: string, event: string, why: string) {
    super(`${machine}: ${event} is not allowed from ${from}${why ? ` (${why})` : ''}`);
    this.machine = machine;
    this.from = from;
    this.event = event;
  }
}

export interface Machine<S extends string, E extends string, C = undefined> extends MachineDefinition<S, E, C> {
  /** The state `event` leads to from `from`, or throws IllegalTransitionError. The first listed transition whose guard holds wins. */
  next(from: S, event: E, context: C): S;
  /** Whether `event` is allowed from `from` with this context. */
  can(from: S, event: E, context: C): boolean;
  isFinal(state: S): boolean;
  /** The events the table lists from a state, guards not evaluated. */
  eventsFrom(state: S): E[];
}

export function defineMachine<S extends string, E extends string, C = undefined>(definition: MachineDefinition<S, E, C>): Machine<S, E, C> {
  for (const transition of definition.transitions) {
    if (!definition.states.includes(transition.from) || !definition.states.includes(transition.to)) {
      throw new Error(`${definition.name}: transition ${transition.from} -${transition.event}-> ${transition.to} names an unknown state`);
    }
    if (definition.final.includes(transition.from)) throw new Error(`${definition.name}: final state ${transition.from} has a way out (${transition.event})`);
  }
  const candidates = (from: S, event: E) => definition.transitions.filter((transition) => transition.from === from && transition.event === event);
  const find = (from: S, event: E, context: C) => candidates(from, event).find((transition) => transition.guard === undefined || transition.guard.test(context));
  return {
    ...definition,
    next(from, event, context) {
      const found = find(from, event, context);
      if (found) return found.to;
      const guarded = candidates(from, event);
      const why = guarded.length > 0 ? `needs ${guarded.map((transition) => transition.guard?.name).join(' or ')}` : '';
      throw new IllegalTransitionError(definition.name, from, event, why);
    },
    can: (from, event, context) => find(from, event, context) !== undefined,
    isFinal: (state) => definition.final.includes(state),
    eventsFrom: (state) => [...new Set(definition.transitions.filter((transition) => transition.from === state).map((transition) => transition.event))],
  };
}
