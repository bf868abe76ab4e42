/**
 * The shape every payment flow has, and the one chip, contactless and QR flows will take: a state
 * machine as data (common/fsm.ts), an activity per state that does the state's work and answers the
 * event that leaves it, and what each final state means for the tender. docs/tender-flows.md
 * explains how a flow is registered (flow-registry.ts) and run (flow-runner.ts).
 *
 * A flow never touches the tender or the sale directly: it asks its run to `settle` the tender (the
 * card flow does so inside the transaction that journals the host's answer, so a leg and its
 * tender's outcome commit together); a flow that ends without settling is settled by the runner
 * from its final state's outcome.
 */
import type { Machine } from '../../../common/fsm.ts';
import type { Money } from '../../../common/money.ts';
import type { PaymentFailure, PaymentProgress, PaymentStep } from '../../../common/payment.ts';
import type { EntryMode, Sale, TenderType } from '../../../common/sale/model.ts';
import type { CardLegRow } from '../../journal/card-leg-row.ts';
import type { TenderEvent } from '../../sales/tender-state.ts';

/** What a flow is run for: a sale's tender, the refund of one, or a balance inquiry (no sale). */
export type FlowOperation = 'payment' | 'refund' | 'inquiry';

/** How the means of payment was presented; `data` is the entry mode's own (card data, a chip session, a QR payload). */
export interface Presentment<D = unknown> {
  readonly entryMode: EntryMode;
  readonly data: D;
}

/** How a final state ends the tender, when the flow did not settle it itself. */
export type FlowOutcome = Extract<TenderEvent, 'approve' | 'decline' | 'fail' | 'cancel'>;

/**
 * Two events every flow may list and only the runner sends: 'cancel' when the cashier cancels while
 * the state lists it, 'error' when a state's activity throws (a device fault, say).
 */
export type RunnerEvent = 'cancel' | 'error';

/** The tender a flow runs for, as it starts. */
export interface FlowTender {
  readonly operation: FlowOperation;
  readonly type: TenderType;
  readonly amount: Money;
  /** The sale and tender a payment or refund belongs to; none for an inquiry. */
  readonly saleId?: string;
  readonly tenderId?: number;
  /** A refund: the approved purchase leg it gives money back for. */
  readonly original?: CardLegRow;
}

/** What a running flow may do; given to each activity. */
export interface FlowRun<Ctx> {
  readonly tender: FlowTender;
  readonly presentment: Presentment;
  /** The flow's own memory (card data, PIN attempt), made by `createContext`. */
  readonly context: Ctx;
  /** Aborted when the cashier cancels: an activity waiting on a device gives up. */
  readonly signal: AbortSignal;
  /** Tells the cashier's screen more about the current step (PIN digits, card, outcome, …). */
  progress(extra?: ProgressExtra): void;
  /** Why the flow is about to end short of an approval, shown with its final step. */
  setFailure(failure: PaymentFailure): void;
  /**
   * Moves the tender (and with it the sale) now, inside the caller's unit of work when there is one.
   * `patch` records what the flow learnt (the card's masked PAN and references). Once per run.
   */
  settle(event: Extract<TenderEvent, 'approve' | 'decline' | 'fail'>, patch?: SettlePatch): void;
}

/** What a flow learnt of the means of payment, kept on the tender: a card's masked PAN and references, a QR tender's wallet summary. */
export interface SettlePatch {
  readonly card?: NonNullable<Sale['tenders'][number]['card']>;
  readonly qr?: NonNullable<Sale['tenders'][number]['qr']>;
}

export type ProgressExtra = Partial<Pick<PaymentProgress, 'pinDigits' | 'pinAttempt' | 'outcome' | 'failure' | 'balances' | 'card' | 'cash' | 'qr' | 'cardholderMessage' | 'application' | 'applicationChoice'>>;

export interface TenderFlow<S extends string = string, E extends string = string, Ctx = unknown> {
  readonly tender: TenderType;
  readonly entryMode: EntryMode;
  readonly operations: readonly FlowOperation[];
  /** States and transitions. The states that list 'cancel' can be cancelled; those that list 'error' fail cleanly. */
  readonly machine: Machine<S, E | RunnerEvent, undefined>;
  readonly createContext: (presentment: Presentment, tender: FlowTender) => Ctx;
  /** The work of each non-final state; resolves with the event that leaves it. */
  readonly activities: { readonly [K in S]?: (run: FlowRun<Ctx>) => Promise<E> };
  /** Each final state's meaning for the tender (the failure is the one set on the run). */
  readonly outcomes: { readonly [K in S]?: FlowOutcome };
  /** The step the cashier sees in each state. */
  readonly steps: { readonly [K in S]: PaymentStep };
  /**
   * Called once the flow has ended, in whatever state (an activity's throw included): a device that
   * holds something for the flow lets it go (the PIN pad forgets the card its head read).
   */
  readonly release?: (context: Ctx) => Promise<void>;
}

/** A flow of any states: what the registry holds. */
export type AnyTenderFlow = TenderFlow<string, string, any>;
