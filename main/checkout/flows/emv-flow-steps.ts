/**
 * The activities the chip (insert) and contactless (tap) flows share: each runs the terminal kernel
 * (payments/emv/kernel) through a KernelSession and answers the stop the kernel is at, so the flow's
 * state is where the card transaction stands:
 *
 *   reading      the kernel reads the card (selection, GPO, records, ODA, restrictions) up to its
 *                first stop: a PIN, going online, or an outcome without the host (declined offline,
 *                insert the card, tap again, chip error, not accepted)
 *   enter_pin    the online PIN on the PIN pad (DUKPT), handed to the kernel
 *   authorizing  the 0200 with DE55 through exchangeCardRequest (journaled before send, reversal
 *                queued on no answer), the 0210's tag 91 and scripts back to the kernel, which ends
 *                the transaction with the card (second GENERATE AC for an insert)
 *   reversing    the host approved but the card did not complete (declined at the second GENERATE
 *                AC, pulled out): the authorization is reversed (0400) and the tender fails
 *
 * The tender is approved only once the card accepted the host's approval (TC), in the unit of work
 * that keeps the leg's chip record (AID, label, TVR, TSI, AC type, whitelisted ICC tags: never 57,
 * 5A, 56, 9F6B, 9F1F, nor the PIN block). A crash between the host's approval and that commit
 * leaves an approved leg under a tender in progress: chip-recovery.ts reverses it at start-up.
 */
import { maskPan } from '../../../common/card/pan.ts';
import type { Transition } from '../../../common/fsm.ts';
import { detectScheme, type CardScheme } from '../../../common/card/scheme.ts';
import type { CardData } from '../../../common/card/tracks.ts';
import type { PaymentFailure } from '../../../common/payment.ts';
import { authorizationResponseOf } from '../../../payments/emv/iso8583-chip-fields.ts';
import type { CaPublicKeys } from '../../../payments/emv/kernel/ca-public-keys.ts';
import { runContactTransaction, scriptResultsTag } from '../../../payments/emv/kernel/contact-kernel.ts';
import { runContactlessTransaction } from '../../../payments/emv/kernel/contactless-kernel.ts';
import type { ApplicationChoicePort, AuthorizationResponse, ChipRecord, KernelOutcome, OnlineRequest } from '../../../payments/emv/kernel/ports.ts';
import type { TerminalConfig } from '../../../payments/emv/kernel/terminal-config.ts';
import { encodeTlv } from '../../../payments/emv/tlv.ts';
import { POS_ENTRY_MODES } from '../../../payments/iso8583/profile.ts';
import { exchangeCardRequest, type ExchangeDependencies } from '../card-exchange.ts';
import { PaymentStopped } from '../payment-stopped.ts';
import type { PinPadPort, PresentedChipCard } from '../ports.ts';
import type { ChipFailures } from './chip-failures.ts';
import { KernelSession, type KernelStop } from './kernel-session.ts';
import type { FlowRun, Presentment } from './tender-flow.ts';

export interface EmvFlowSettings {
  readonly terminal: TerminalConfig;
  readonly caKeys: CaPublicKeys;
  readonly acceptedSchemes: readonly CardScheme[];
  readonly pinEntryTimeoutSeconds: number;
  readonly now: () => Date;
}

export interface EmvFlowPorts {
  readonly pinPad: PinPadPort;
  readonly exchange: ExchangeDependencies;
  readonly chipFailures: ChipFailures;
  /** Several applications on an inserted card: who chooses (priority order first, when nobody is asked). */
  readonly choose: ApplicationChoicePort;
}

/** Events the EMV flows' states answer (the runner adds cancel and error). */
export type EmvEvent = 'pin_needed' | 'go_online' | 'approved' | 'declined' | 'refused' | 'pin_refused' | 'reverse' | 'no_answer' | 'reversed';

/** The states both EMV flows have, and their final ones. */
export type EmvState = 'reading' | 'enter_pin' | 'authorizing' | 'approved' | 'declined' | 'cancelled' | 'failed';
export const EMV_FINAL_STATES = ['approved', 'declined', 'cancelled', 'failed'] as const;

/** Reading, the PIN and the authorization, as an insert and a tap both go through them. */
export const EMV_TRANSITIONS: readonly Transition<EmvState, EmvEvent | 'cancel' | 'error', undefined>[] = [
  { from: 'reading', event: 'pin_needed', to: 'enter_pin' },
  { from: 'reading', event: 'go_online', to: 'authorizing' },
  { from: 'reading', event: 'declined', to: 'declined' },
  { from: 'reading', event: 'refused', to: 'failed' },
  { from: 'reading', event: 'pin_refused', to: 'cancelled' },
  { from: 'reading', event: 'cancel', to: 'cancelled' },
  { from: 'reading', event: 'error', to: 'failed' },
  { from: 'enter_pin', event: 'go_online', to: 'authorizing' },
  { from: 'enter_pin', event: 'declined', to: 'declined' },
  { from: 'enter_pin', event: 'refused', to: 'failed' },
  { from: 'enter_pin', event: 'pin_refused', to: 'cancelled' },
  { from: 'enter_pin', event: 'cancel', to: 'cancelled' },
  { from: 'enter_pin', event: 'error', to: 'failed' },
  { from: 'authorizing', event: 'approved', to: 'approved' },
  { from: 'authorizing', event: 'declined', to: 'declined' },
  { from: 'authorizing', event: 'no_answer', to: 'failed' },
  { from: 'authorizing', event: 'refused', to: 'failed' },
  { from: 'authorizing', event: 'error', to: 'failed' },
];

export interface EmvContext {
  readonly card: PresentedChipCard;
  session?: KernelSession;
  /** The kernel's stop the current state answers. */
  stop?: KernelStop;
  scheme?: CardScheme;
  /** The purchase leg once the 0200 went out; `approved` when the host said 00. */
  leg?: { readonly id: number; readonly approved: boolean; readonly stan: string; readonly responseCode: string; readonly approvalCode?: string; readonly rrn?: string };
  /** What the flow set aside for reporting: the unreported DF31s it sent. */
  reportedScripts?: number[];
  settled: boolean;
}

export function emvContext(presentment: Presentment): EmvContext {
  return { card: presentment.data as PresentedChipCard, settled: false };
}

/** Starts the kernel on the presented card and waits for its first stop. */
export async function readCard(run: FlowRun<EmvContext>, settings: EmvFlowSettings, ports: EmvFlowPorts): Promise<EmvEvent> {
  const { context, tender } = run;
  const contactless = context.card.cardInterface === 'contactless';
  const kernelRun = { amount: tender.amount, config: settings.terminal, caKeys: settings.caKeys, signal: run.signal, now: settings.now() };
  context.session = new KernelSession((kernelPorts) => (contactless ? runContactlessTransaction({ ...kernelRun, ports: kernelPorts }) : runContactTransaction({ ...kernelRun, ports: kernelPorts })), {
    card: context.card.transport,
    choose: {
      // The list goes to the cashier's screen while the choice is pending, and off it once made.
      choose: async (candidates, signal) => {
        run.progress({ applicationChoice: candidates.map((candidate) => ({ aid: candidate.aid, label: candidate.label })) });
        try {
          return await ports.choose.choose(candidates, signal);
        } finally {
          run.progress({ applicationChoice: undefined });
        }
      },
    },
    messages: {
      show: (message) => {
        run.progress({ cardholderMessage: message });
        // A tap's part is over at "remove card": the field is let go before the PIN or the host.
        if (message === 'remove_card' && contactless) void context.card.end();
      },
    },
  });
  return nextStop(run, ports);
}

/** The online PIN the kernel asked for, from the PIN pad. */
export async function enterPin(run: FlowRun<EmvContext>, settings: EmvFlowSettings, ports: EmvFlowPorts): Promise<EmvEvent> {
  const { context } = run;
  const stop = context.stop;
  if (stop?.kind !== 'pin') throw new Error('enter_pin without a PIN request from the kernel');
  run.progress({ pinDigits: 0 });
  const stopDigits = ports.pinPad.onPinDigits((count) => run.progress({ pinDigits: count }));
  try {
    const entry = await ports.pinPad.requestPin({ pan: stop.pan, amount: run.tender.amount, timeoutSeconds: settings.pinEntryTimeoutSeconds, attempt: 1 }, run.signal);
    if (run.signal.aborted) {
      if (entry.kind === 'entered') entry.pinBlock.fill(0);
      stop.answer({ kind: 'cancelled' });
      throw run.signal.reason;
    }
    if (entry.kind !== 'entered') run.setFailure(entry.kind === 'timeout' ? 'pin_timeout' : 'pin_cancelled');
    stop.answer(entry);
  } catch (error) {
    stop.answer({ kind: 'cancelled' });
    throw error;
  } finally {
    stopDigits();
  }
  return nextStop(run, ports);
}

/** The 0200 with DE55; the answer goes back to the card, which ends the transaction. */
export async function authorize(run: FlowRun<EmvContext>, settings: EmvFlowSettings, ports: EmvFlowPorts): Promise<EmvEvent> {
  const { context, tender } = run;
  const stop = context.stop;
  if (stop?.kind !== 'online') throw new Error('authorizing without an online request from the kernel');
  const request = stop.request;
  ports.chipFailures.chipRead(maskPan(request.pan));
  const scheme = detectScheme(request.pan);
  if (!scheme || !settings.acceptedSchemes.includes(scheme)) {
    run.setFailure('card_not_accepted');
    stop.answer({ kind: 'unreachable' });
    await drain(context);
    return 'refused';
  }
  context.scheme = scheme;
  run.progress({ card: { maskedPan: maskPan(request.pan), scheme } });
  const { journal } = ports.exchange;
  // One DF31 holds at most 16 scripts' results (80 bytes); the rest go with the next request.
  const unreported = journal.chip.unreportedScriptResults().slice(0, 16);
  let response: AuthorizationResponse;
  try {
    const result = await exchangeCardRequest(ports.exchange, {
      tenderId: tender.tenderId,
      attempt: 1,
      kind: 'purchase',
      amount: tender.amount,
      card: cardDataOf(request),
      scheme,
      posEntryMode: request.entryMode === 'contact' ? POS_ENTRY_MODES.chip : POS_ENTRY_MODES.contactless,
      now: settings.now(),
      icc: { data: withScriptResults(request.iccData, unreported.map((entry) => entry.df31)), ...(request.panSequenceNumber === undefined ? {} : { cardSequenceNumber: request.panSequenceNumber }) },
      ...(request.pin ? { pin: request.pin } : {}),
      onAnswer: ({ approved, answer, stan, legId }) => {
        journal.chip.markReported(unreported.map((entry) => entry.legId));
        context.leg = { id: legId, approved, stan, responseCode: answer.responseCode, ...(approved ? { approvalCode: answer.approvalCode, rrn: answer.rrn } : {}) };
        run.progress({ outcome: { responseCode: answer.responseCode, ...(approved && answer.approvalCode ? { approvalCode: answer.approvalCode } : {}), ...(approved && answer.rrn ? { rrn: answer.rrn } : {}) } });
      },
    });
    response = authorizationResponseOf(result.message);
  } catch (error) {
    if (!(error instanceof PaymentStopped)) throw error;
    run.setFailure(error.failure);
    stop.answer({ kind: 'unreachable' });
    await drain(context);
    return 'no_answer';
  } finally {
    // The PIN block has done its one job; the station keeps no copy of it.
    request.pin?.pinBlock.fill(0);
  }
  stop.answer(response);
  const next = await context.session!.next();
  if (next.kind !== 'done') throw new Error(`the kernel stopped for ${next.kind} after the authorization`);
  return finish(run, ports, next.outcome);
}

/** The host approved, the card did not complete: the authorization is given back (0400). */
export async function reverse(run: FlowRun<EmvContext>, ports: EmvFlowPorts): Promise<EmvEvent> {
  const leg = run.context.leg;
  // The profile's reversal reasons are 17 and 68 (journal CHECK): the sale did not go through, so the
  // station cancels the authorization (17), as a void does; the 68 timeout reversal stays for no answer.
  if (leg?.approved) ports.exchange.reversals.queue(leg.id, '17');
  return 'reversed';
}

/** The kernel's next stop, as the event that leaves the current state. */
async function nextStop(run: FlowRun<EmvContext>, ports: EmvFlowPorts): Promise<EmvEvent> {
  const stop = await run.context.session!.next();
  run.context.stop = stop;
  if (stop.kind === 'pin') return 'pin_needed';
  if (stop.kind === 'online') return 'go_online';
  return finish(run, ports, stop.outcome);
}

/** Maps the kernel's outcome to the flow's event; settles an approval with the card's record. */
function finish(run: FlowRun<EmvContext>, ports: EmvFlowPorts, outcome: KernelOutcome): EmvEvent {
  const { context } = run;
  void context.card.end();
  const { journal } = ports.exchange;
  const record = 'record' in outcome ? outcome.record : undefined;
  const leg = context.leg;
  if (record) run.progress({ application: { aid: record.aid, label: record.applicationLabel } });
  if (outcome.kind === 'approved' && leg) {
    // The card's TC and the tender's approval commit together with the leg's chip record.
    journal.atomically(() => {
      journal.chip.record(leg.id, outcome.record, scriptResultsTag(outcome.record));
      run.settle('approve', { card: cardOf(context, outcome.record, leg) });
      context.settled = true;
    });
    return 'approved';
  }
  if (leg && record) journal.atomically(() => journal.chip.record(leg.id, record, scriptResultsTag(record)));
  switch (outcome.kind) {
    case 'approved':
      throw new Error('the kernel approved without an authorization');
    case 'declined':
      if (leg?.approved) return reversal(run, 'card_declined');
      // By the issuer (its leg declined), or offline by the card (AAC) or the terminal (PIN not entered): no leg to undo.
      if (leg) run.settle('decline', { card: cardOf(context, record!, leg) });
      return 'declined';
    case 'card_declined_after_approval':
      return reversal(run, 'card_declined');
    case 'card_removed':
      if (leg?.approved) return reversal(run, 'card_removed');
      return refuse(run, 'card_removed');
    case 'unable_to_go_online':
      return 'no_answer';
    case 'cancelled':
      if (run.signal.aborted) throw run.signal.reason;
      run.setFailure('pin_cancelled');
      return 'pin_refused';
    case 'insert_card':
      return refuse(run, 'insert_card');
    case 'present_card_again':
      return refuse(run, 'present_card_again');
    case 'chip_error':
      ports.chipFailures.failed();
      return refuse(run, 'chip_error');
    case 'not_accepted':
      return refuse(run, 'application_not_accepted');
  }
}

function reversal(run: FlowRun<EmvContext>, failure: PaymentFailure): EmvEvent {
  run.setFailure(failure);
  return 'reverse';
}

function refuse(run: FlowRun<EmvContext>, failure: PaymentFailure): EmvEvent {
  run.setFailure(failure);
  return 'refused';
}

/** Lets the kernel end after an abandoned stop (it declines with the card and powers it off). */
async function drain(context: EmvContext): Promise<void> {
  const session = context.session!;
  for (;;) {
    const stop = await session.next();
    if (stop.kind === 'done') break;
    session.abandon();
  }
  void context.card.end();
}

/** What the tender keeps of the card: masked PAN, scheme, the host's references. */
function cardOf(context: EmvContext, record: ChipRecord, leg: NonNullable<EmvContext['leg']>) {
  return {
    maskedPan: record.maskedPan,
    scheme: context.scheme!,
    stan: leg.stan,
    responseCode: leg.responseCode,
    ...(leg.approvalCode ? { approvalCode: leg.approvalCode } : {}),
    ...(leg.rrn ? { rrn: leg.rrn } : {}),
  };
}

/** The card data of a chip request as the 0200's card fields need them: tag 57 for DE35 (its CVV is the iCVV). */
function cardDataOf(request: OnlineRequest): CardData {
  const separator = request.track2Equivalent.indexOf('D');
  const after = request.track2Equivalent.slice(separator + 1);
  return {
    pan: request.pan,
    expiry: request.expiry,
    serviceCode: after.slice(4, 7),
    discretionary: after.slice(7),
    track2: request.track2Equivalent.replace('D', '='),
  };
}

/** DE55 with the issuer script results (DF31) not yet reported, as one DF31 of at most 80 bytes (16 scripts). */
function withScriptResults(iccData: Buffer, results: readonly Buffer[]): Buffer {
  if (results.length === 0) return iccData;
  return Buffer.concat([iccData, encodeTlv('DF31', Buffer.concat(results))]);
}

