/**
 * Runs one payment flow (tender-flow.ts) from its initial state to a final one: in each state it
 * tells the cashier's screen the step, runs the state's activity and follows the event it answers
 * along the flow's table. It owns the two events no activity sends: 'cancel' (the cashier cancelled
 * while the state allows it) and 'error' (an activity threw). At the end it settles the tender from
 * the final state's outcome, unless the flow settled it already.
 */
import type { Money } from '../../../common/money.ts';
import type { PaymentFailure, PaymentProgress } from '../../../common/payment.ts';
import type { AnyTenderFlow, FlowOutcome, FlowRun, FlowTender, Presentment, ProgressExtra } from './tender-flow.ts';

export interface RunnerHooks {
  /** Each step, as the cashier should see it. */
  readonly progress: (progress: PaymentProgress) => void;
  /** Moves the tender: from inside an activity (in its unit of work) or at the end. */
  readonly settle: (tender: FlowTender, outcome: FlowOutcome, patch?: Parameters<FlowRun<unknown>['settle']>[1]) => void;
  /** The state the flow is in now (whether a cancel can still win depends on it). */
  readonly onState?: (state: string) => void;
  readonly log: (line: string) => void;
}

export interface FlowResult {
  readonly state: string;
  readonly outcome: FlowOutcome | undefined;
  readonly failure: PaymentFailure | undefined;
}

export interface RunRequest {
  readonly flow: AnyTenderFlow;
  readonly tender: FlowTender;
  readonly presentment: Presentment;
  readonly signal: AbortSignal;
  /** The id the progress events carry. */
  readonly paymentId: string;
  /** Progress fields every step repeats (the card once read, say). */
  readonly base?: ProgressExtra;
}

export async function runFlow(request: RunRequest, hooks: RunnerHooks): Promise<FlowResult> {
  const { flow, tender, presentment, signal } = request;
  const { machine } = flow;
  let state = machine.initial;
  let failure: PaymentFailure | undefined;
  let settled = false;
  let sticky: ProgressExtra = { ...request.base };

  const emit = (extra: ProgressExtra = {}) => {
    // What the flow learnt stays on the screen; PIN digits and a bad read are of the moment.
    const { pinDigits: _digits, pinAttempt: _attempt, failure: _failure, ...learnt } = extra;
    sticky = { ...sticky, ...learnt };
    hooks.progress(progressOf(request, flow.steps[state] ?? 'failed', tender.amount, { ...sticky, ...extra, ...(machine.isFinal(state) && failure ? { failure } : {}) }));
  };
  const run: FlowRun<unknown> = {
    tender,
    presentment,
    context: flow.createContext(presentment, tender),
    signal,
    progress: emit,
    setFailure: (reason) => {
      failure = reason;
    },
    settle: (event, patch) => {
      if (settled) throw new Error(`the ${flow.tender} flow settled its tender twice`);
      hooks.settle(tender, event, patch);
      settled = true;
    },
  };

  try {
    while (!machine.isFinal(state)) {
      hooks.onState?.(state);
      emit();
      const activity = flow.activities[state];
      if (activity === undefined) throw new Error(`the ${flow.tender}/${flow.entryMode} flow has no activity for ${state}`);
      let event: string;
      if (signal.aborted && machine.can(state, 'cancel', undefined)) event = 'cancel';
      else {
        try {
          event = await activity(run);
        } catch (error) {
          if (signal.aborted && machine.can(state, 'cancel', undefined)) event = 'cancel';
          else if (machine.can(state, 'error', undefined)) {
            hooks.log(`${flow.tender}/${flow.entryMode} flow failed in ${state}: ${error instanceof Error ? error.message : String(error)}`);
            failure ??= 'device_error';
            event = 'error';
          } else throw error;
        }
      }
      if (event === 'cancel') failure ??= 'cancelled_by_cashier';
      state = machine.next(state, event, undefined);
    }
    hooks.onState?.(state);
    const outcome = flow.outcomes[state];
    if (!settled && outcome !== undefined) hooks.settle(tender, outcome);
    emit();
    return { state, outcome, failure };
  } finally {
    // After the cashier has seen the outcome; the run ends once the device has let go.
    await flow.release?.(run.context).catch((error: unknown) => hooks.log(`${flow.tender}/${flow.entryMode} flow: its device did not let go: ${error instanceof Error ? error.message : String(error)}`));
  }
}

function progressOf(request: RunRequest, step: PaymentProgress['step'], amount: Money, extra: ProgressExtra): PaymentProgress {
  const { tender, presentment } = request;
  return {
    paymentId: request.paymentId,
    kind: tender.operation === 'payment' ? 'purchase' : tender.operation === 'refund' ? 'refund' : 'balance_inquiry',
    ...(tender.saleId === undefined ? {} : { saleId: tender.saleId }),
    ...(tender.tenderId === undefined ? {} : { tenderId: tender.tenderId }),
    tenderType: tender.type,
    entryMode: presentment.entryMode,
    step,
    amount,
    ...extra,
  };
}
