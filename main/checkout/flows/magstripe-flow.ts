/**
 * The card flow for a swiped (magnetic stripe) card: a payment, a refund or a balance inquiry. The
 * card comes clear from a plain reader, or masked and encrypted from the PIN pad's own head (an
 * encrypting reader, devices.stripeReader "pin-pad"): then the scheme comes from the BIN, the pad
 * forms the PIN block from the PAN it holds, the 0200 carries the reader's block (DE120), and the
 * pad is told to forget the card when the flow ends. The station never has that PAN.
 *
 *   reading ──pin_needed──▶ enter_pin ──pin_entered──▶ authorizing ──approved──▶ approved
 *      │  └──no_pin──────────────────────────────────▶    │  ▲ │    ──declined──▶ declined
 *      └──refused──▶ failed      │ cancelled/timeout        │  │ └──wrong_pin (55, tries left)──▶ enter_pin
 *                                ▼                         no_answer / unreachable / error
 *                            cancelled ◀──cancel── reading, enter_pin                ▼
 *                                                                                  failed
 *
 * A payment with a chip card (service code 2xx/6xx) is refused "insert the card" until its chip
 * failed the configured number of times; then the swipe is a technical fallback (DE22 801).
 * A refund asks for no PIN and needs the card the purchase was paid with. A cashier's cancel wins
 * in every state before authorizing, even over a PIN block the pad has already sent. Card data lives
 * in the flow's context for the length of the flow only; the journal, the log and the screen get
 * the masked PAN. What a missing answer means is card-exchange.ts's to say.
 */
import type { CardScheme } from '../../../common/card/scheme.ts';
import { isEncryptedRead, swipedMaskedPan, swipedScheme, type SwipedCard } from '../../../common/card/swiped-card.ts';
import { defineMachine } from '../../../common/fsm.ts';
import { POS_ENTRY_MODES } from '../../../payments/iso8583/profile.ts';
import { parseAdditionalAmounts } from '../../acquirer/additional-amounts.ts';
import { decideSwipe, type FallbackConfig } from '../../../payments/emv/kernel/fallback-policy.ts';
import { exchangeCardRequest, type ExchangeDependencies } from '../card-exchange.ts';
import { PaymentStopped } from '../payment-stopped.ts';
import { offersAnotherPinTry } from '../pin-tries.ts';
import type { PinPadPort } from '../ports.ts';
import type { ChipFailures } from './chip-failures.ts';
import type { FlowRun, Presentment, TenderFlow } from './tender-flow.ts';

const STATES = ['reading', 'enter_pin', 'authorizing', 'approved', 'declined', 'cancelled', 'failed'] as const;
type State = (typeof STATES)[number];
type Event = 'pin_needed' | 'no_pin' | 'refused' | 'pin_entered' | 'pin_refused' | 'approved' | 'declined' | 'wrong_pin' | 'no_answer';

export interface MagstripeFlowSettings {
  readonly acceptedSchemes: readonly CardScheme[];
  readonly pinEntryTimeoutSeconds: number;
  /** PINs a payment may take while the host answers 55 (pin-tries.ts). */
  readonly pinAttempts: number;
  readonly now: () => Date;
  /** Chip first (payments/emv/kernel/fallback-policy.ts): a chip card's stripe pays only as fallback. */
  readonly fallback: FallbackConfig;
}

interface Context {
  readonly card: SwipedCard;
  scheme?: CardScheme;
  /** DE22: 021, or 801 for a chip card's technical fallback. */
  posEntryMode?: string;
  attempt: number;
  pin?: { pinBlock: Uint8Array; ksn: Uint8Array };
}

export const magstripeMachine = defineMachine<State, Event | 'cancel' | 'error', undefined>({
  name: 'magstripe card flow',
  initial: 'reading',
  states: STATES,
  final: ['approved', 'declined', 'cancelled', 'failed'],
  transitions: [
    { from: 'reading', event: 'pin_needed', to: 'enter_pin' },
    { from: 'reading', event: 'no_pin', to: 'authorizing' },
    { from: 'reading', event: 'refused', to: 'failed' },
    { from: 'reading', event: 'cancel', to: 'cancelled' },
    { from: 'reading', event: 'error', to: 'failed' },
    { from: 'enter_pin', event: 'pin_entered', to: 'authorizing' },
    { from: 'enter_pin', event: 'pin_refused', to: 'cancelled' },
    { from: 'enter_pin', event: 'cancel', to: 'cancelled' },
    { from: 'enter_pin', event: 'error', to: 'failed' },
    { from: 'authorizing', event: 'approved', to: 'approved' },
    { from: 'authorizing', event: 'declined', to: 'declined' },
    { from: 'authorizing', event: 'wrong_pin', to: 'enter_pin' },
    { from: 'authorizing', event: 'no_answer', to: 'failed' },
    { from: 'authorizing', event: 'error', to: 'failed' },
  ],
});

export function magstripeFlow(settings: MagstripeFlowSettings, ports: { pinPad: PinPadPort; exchange: ExchangeDependencies; chipFailures: ChipFailures }): TenderFlow<State, Event, Context> {
  return {
    tender: 'card',
    entryMode: 'magstripe',
    operations: ['payment', 'refund', 'inquiry'],
    machine: magstripeMachine,
    createContext: (presentment: Presentment) => ({ card: presentment.data as SwipedCard, attempt: 1 }),
    steps: { reading: 'reading', enter_pin: 'enter_pin', authorizing: 'authorizing', approved: 'approved', declined: 'declined', cancelled: 'cancelled', failed: 'failed' },
    outcomes: { approved: 'approve', declined: 'decline', cancelled: 'cancel', failed: 'fail' },
    activities: {
      reading: async (run) => {
        const { card } = run.context;
        const scheme = swipedScheme(card);
        if (!scheme || !settings.acceptedSchemes.includes(scheme)) return refuse(run, 'card_not_accepted');
        run.context.scheme = scheme;
        const maskedPan = swipedMaskedPan(card);
        run.progress({ card: { maskedPan, scheme } });
        const original = run.tender.original;
        if (original && original.maskedPan !== maskedPan) return refuse(run, 'card_mismatch');
        if (run.tender.operation === 'payment') {
          // A chip card is inserted first; its stripe pays only after its chip failed (fallback, DE22 801).
          const decision = decideSwipe(card.serviceCode, ports.chipFailures.countFor(maskedPan), settings.fallback);
          if (decision.kind === 'insert_card') return refuse(run, 'insert_card');
          run.context.posEntryMode = decision.posEntryMode;
          if (decision.kind === 'accept_fallback') ports.chipFailures.fallbackUsed();
        }
        return run.tender.operation === 'refund' ? 'no_pin' : 'pin_needed';
      },
      enter_pin: (run) => enterPin(run, settings, ports.pinPad),
      authorizing: (run) => authorize(run, settings, ports.exchange),
    },
    release: async ({ card }) => {
      if (isEncryptedRead(card)) await ports.pinPad.releaseReadCard();
    },
  };
}

function refuse(run: FlowRun<Context>, failure: 'card_not_accepted' | 'card_mismatch' | 'insert_card'): 'refused' {
  run.setFailure(failure);
  return 'refused';
}

async function enterPin(run: FlowRun<Context>, settings: MagstripeFlowSettings, pinPad: PinPadPort): Promise<Event> {
  const { context } = run;
  const retry = context.attempt > 1 ? { pinAttempt: context.attempt } : {};
  run.progress({ pinDigits: 0, ...retry });
  const stopDigits = pinPad.onPinDigits((count) => run.progress({ pinDigits: count, ...retry }));
  try {
    const { card } = context;
    const request = { amount: run.tender.amount, timeoutSeconds: settings.pinEntryTimeoutSeconds, attempt: context.attempt };
    const entry = isEncryptedRead(card) ? await pinPad.requestPinForReadCard(request, run.signal) : await pinPad.requestPin({ pan: card.pan, ...request }, run.signal);
    // The cashier's cancel wins even over a PIN block the pad had already sent: the cashier was told
    // the payment is cancelled, so it must never reach the host.
    if (run.signal.aborted) {
      if (entry.kind === 'entered') entry.pinBlock.fill(0);
      throw run.signal.reason;
    }
    if (entry.kind === 'entered') {
      context.pin = { pinBlock: entry.pinBlock, ksn: entry.ksn };
      return 'pin_entered';
    }
    run.setFailure(entry.kind === 'timeout' ? 'pin_timeout' : 'pin_cancelled');
    return 'pin_refused';
  } finally {
    stopDigits();
  }
}

async function authorize(run: FlowRun<Context>, settings: MagstripeFlowSettings, deps: ExchangeDependencies): Promise<Event> {
  const { context, tender } = run;
  const pin = context.pin;
  const kind = tender.operation === 'payment' ? 'purchase' : tender.operation === 'refund' ? 'refund' : 'balance_inquiry';
  let event = 'declined' as Event;
  try {
    await exchangeCardRequest(deps, {
      tenderId: tender.operation === 'inquiry' ? undefined : tender.tenderId,
      attempt: context.attempt,
      kind,
      amount: tender.amount,
      card: context.card,
      scheme: context.scheme!,
      posEntryMode: context.posEntryMode ?? POS_ENTRY_MODES.magstripeWithPin,
      now: settings.now(),
      ...(pin ? { pin } : {}),
      ...(tender.original ? { original: tender.original } : {}),
      onAnswer: ({ approved, answer, stan }) => {
        const outcome = { responseCode: answer.responseCode, ...(approved && answer.approvalCode ? { approvalCode: answer.approvalCode } : {}), ...(approved && answer.rrn ? { rrn: answer.rrn } : {}) };
        run.progress({ outcome, ...(approved && kind === 'balance_inquiry' ? { balances: parseAdditionalAmounts(answer.additionalAmounts ?? '') } : {}) });
        // A 55 with tries left is an attempt of this tender, not its outcome: the PIN pad asks again.
        if (pin && offersAnotherPinTry(answer.responseCode, context.attempt, settings.pinAttempts)) {
          event = 'wrong_pin';
          return;
        }
        event = approved ? 'approved' : 'declined';
        const card = { maskedPan: swipedMaskedPan(context.card), scheme: context.scheme!, stan, responseCode: answer.responseCode, ...(outcome.approvalCode ? { approvalCode: outcome.approvalCode } : {}), ...(outcome.rrn ? { rrn: outcome.rrn } : {}) };
        run.settle(approved ? 'approve' : 'decline', { card });
      },
    });
  } catch (error) {
    if (!(error instanceof PaymentStopped)) throw error;
    run.setFailure(error.failure);
    return 'no_answer';
  } finally {
    // The PIN block has done its one job; the station keeps no copy of it.
    pin?.pinBlock.fill(0);
    delete context.pin;
  }
  if (event === 'wrong_pin') context.attempt += 1;
  return event;
}
