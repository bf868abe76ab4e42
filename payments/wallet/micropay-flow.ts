/**
 * Customer-presented payment (the cashier scans the payment code), the station's policy, as wallet
 * platforms prescribe it for their payment-code APIs:
 *   1. write the payment ahead, send the micropay;
 *   2. SUCCESS → paid. A refusal → declined (the platform answered that nothing was charged);
 *   3. USERPAYING, a time-out, an unknown or unverifiable answer → query with backoff
 *      (queryDelaysMs, the last delay repeating). A query that finds no order re-sends the same
 *      micropay (idempotent by the order number, so a late first copy and the re-send are one
 *      payment). Paid → paid; PAYERROR, CLOSED or REVOKED → declined;
 *   4. still not settled at limitMs (or the cashier cancels): reverse, so the customer is never
 *      charged for a sale the station gave up on. An unconfirmed reversal stays on record as
 *      "reversing" and recovery (wallet-recovery.ts) finishes it.
 */
import { clockOf, delayAt, isEnded, isPaid, paidChange, reverseOrder, sleepFor, type FlowContext, type ReversalOutcome } from './flow-support.ts';
import type { ApiOutcome } from './wallet-client.ts';
import type { MicropayRequest, Order } from './wallet-api.ts';

export interface MicropayPolicy {
  /** Waits between queries while the payment is unsettled; the last one repeats. */
  readonly queryDelaysMs: readonly number[];
  /** From the micropay on, how long the station keeps asking before it reverses. */
  readonly limitMs: number;
  /** Waits between reversal attempts whose answer is unknown; after the last, "reversal pending". */
  readonly reverseRetryDelaysMs: readonly number[];
}

/** About what WeChat Pay asks of a merchant: poll for 45 s, then reverse. */
export const DEFAULT_MICROPAY_POLICY: MicropayPolicy = { queryDelaysMs: [2_000, 3_000, 5_000], limitMs: 45_000, reverseRetryDelaysMs: [1_000, 2_000, 5_000, 10_000] };

export type MicropayOutcome =
  | { readonly kind: 'paid'; readonly order: Order }
  /** The platform refused or failed the payment: nothing was charged. `code` is its error code, or the order's final state. */
  | { readonly kind: 'declined'; readonly code: string; readonly message: string }
  | ReversalOutcome;

type Verdict = { readonly kind: 'paid'; readonly order: Order } | { readonly kind: 'declined'; readonly code: string; readonly message: string } | { readonly kind: 'ask'; readonly why: string; readonly resend?: boolean };

export async function runMicropay(context: FlowContext, request: MicropayRequest, policy: MicropayPolicy = DEFAULT_MICROPAY_POLICY, signal?: AbortSignal): Promise<MicropayOutcome> {
  const { client, store } = context;
  const now = clockOf(context);
  const sleep = sleepFor(context);
  const number = request.out_trade_no;
  store.begin({ outTradeNo: number, kind: 'micropay', amountMinor: request.amount.total });
  const startedAt = now();

  let verdict = judgeFirst(await client.micropay(request));
  for (let attempt = 0; ; attempt++) {
    if (verdict.kind === 'paid') {
      store.update(number, paidChange(verdict.order, 'paid'));
      return verdict;
    }
    if (verdict.kind === 'declined') {
      store.update(number, { state: 'failed', reason: verdict.code });
      return verdict;
    }
    if (attempt === 0) store.update(number, { state: 'pending', reason: verdict.why });
    context.log?.(`wallet: micropay ${number} unsettled (${verdict.why})`);
    if (now() - startedAt >= policy.limitMs || signal?.aborted) break;
    await sleep(Math.min(delayAt(policy.queryDelaysMs, attempt), Math.max(0, policy.limitMs - (now() - startedAt))), signal);
    if (signal?.aborted) break;
    verdict = judgeQuery(await client.query(number));
    if (verdict.kind === 'ask' && verdict.resend === true) verdict = judgeResend(await client.micropay(request));
  }
  return reverseOrder(context, number, signal?.aborted ? 'cancelled by the cashier' : `not settled within ${policy.limitMs} ms`, policy.reverseRetryDelaysMs);
}

function judgeOrder(order: Order): Verdict {
  if (isPaid(order)) return { kind: 'paid', order };
  if (isEnded(order)) return { kind: 'declined', code: order.trade_state, message: order.trade_state_desc };
  return { kind: 'ask', why: order.trade_state };
}

/** The first micropay: a signed refusal means the platform did nothing. */
function judgeFirst(outcome: ApiOutcome<Order>): Verdict {
  if (outcome.kind === 'ok') return judgeOrder(outcome.value);
  if (outcome.kind === 'refused') return { kind: 'declined', code: outcome.error.code, message: outcome.error.message };
  return { kind: 'ask', why: `unknown answer: ${outcome.reason}` };
}

/** A re-send after an unknown answer: a refusal of the copy says nothing of the first, so keep asking. */
function judgeResend(outcome: ApiOutcome<Order>): Verdict {
  if (outcome.kind === 'ok') return judgeOrder(outcome.value);
  if (outcome.kind === 'refused' && outcome.error.trade_state === 'PAYERROR') return { kind: 'declined', code: outcome.error.code, message: outcome.error.message };
  return { kind: 'ask', why: outcome.kind === 'refused' ? `re-send refused: ${outcome.error.code}` : `unknown answer: ${outcome.reason}` };
}

function judgeQuery(outcome: ApiOutcome<Order>): Verdict {
  if (outcome.kind === 'ok') return judgeOrder(outcome.value);
  if (outcome.kind === 'refused' && outcome.error.code === 'ORDER_NOT_EXIST') return { kind: 'ask', why: 'the platform has no such order yet', resend: true };
  return { kind: 'ask', why: outcome.kind === 'refused' ? `query refused: ${outcome.error.code}` : `unknown answer: ${outcome.reason}` };
}
