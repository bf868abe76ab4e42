/**
 * Merchant-presented payment (the customer scans the code the station shows), the station's policy:
 *   1. write the payment ahead; create the order (an unknown answer is retried: create is
 *      idempotent by the order number). A refusal → declined; no answer at all → not created
 *      (no code was ever shown, so nobody can pay it);
 *   2. hand the order to the caller, which builds the EMVCo payload (common/qr/) and shows it;
 *   3. wait for the payment notification; while none comes, query on queryDelaysMs. Paid → paid;
 *      an order the platform ended (expired, closed) → closed;
 *   4. at timeoutMs, or when the cashier cancels: close the order. Closed → closed: the platform
 *      now refuses any payment of it. "Already paid" (ORDER_PAID) → query, and the sale is paid.
 *      A close whose answer stays unknown falls back to a reversal (wallet-recovery.ts finishes
 *      one that stays unconfirmed).
 */
import { clockOf, delayAt, isEnded, isPaid, paidChange, reverseOrder, sleepFor, type FlowContext, type ReversalOutcome } from './flow-support.ts';
import type { WalletNotificationSource } from './wallet-notifications.ts';
import type { CreateOrderRequest, Order } from './wallet-api.ts';
import type { WalletPaymentRecord } from './wallet-payment-store.ts';

export interface MerchantPresentedPolicy {
  /** How long the code is shown before the station closes the order. */
  readonly timeoutMs: number;
  /** Waits between queries while no notification has come; the last one repeats. */
  readonly queryDelaysMs: readonly number[];
  /** Waits between attempts of create and close whose answers are unknown. */
  readonly retryDelaysMs: readonly number[];
}

export const DEFAULT_MERCHANT_PRESENTED_POLICY: MerchantPresentedPolicy = { timeoutMs: 120_000, queryDelaysMs: [5_000, 5_000, 10_000], retryDelaysMs: [1_000, 2_000, 5_000] };

export type MerchantPresentedOutcome =
  | { readonly kind: 'paid'; readonly order: Order }
  | { readonly kind: 'declined'; readonly code: string; readonly message: string }
  | { readonly kind: 'not_created'; readonly reason: string }
  | { readonly kind: 'closed'; readonly reason: string }
  | ReversalOutcome;

export interface MerchantPresentedHooks {
  /** The order exists: show its code (order.order_code, in an EMVCo payload). */
  onOrder(order: Order): void;
}

export async function runMerchantPresented(
  context: FlowContext & { readonly notifications: WalletNotificationSource },
  request: CreateOrderRequest,
  hooks: MerchantPresentedHooks,
  policy: MerchantPresentedPolicy = DEFAULT_MERCHANT_PRESENTED_POLICY,
  signal?: AbortSignal,
): Promise<MerchantPresentedOutcome> {
  const { client, store } = context;
  const now = clockOf(context);
  const sleep = sleepFor(context);
  const number = request.out_trade_no;
  store.begin({ outTradeNo: number, kind: 'native', amountMinor: request.amount.total });

  let created: Order | undefined;
  let lastUnknown = '';
  for (let attempt = 0; attempt <= policy.retryDelaysMs.length && created === undefined; attempt++) {
    if (attempt > 0) await sleep(policy.retryDelaysMs[attempt - 1]!);
    const answer = await client.createNativeOrder(request);
    if (answer.kind === 'ok') created = answer.value;
    else if (answer.kind === 'refused') {
      store.update(number, { state: 'failed', reason: answer.error.code });
      return { kind: 'declined', code: answer.error.code, message: answer.error.message };
    } else lastUnknown = answer.reason;
  }
  if (created === undefined) {
    store.update(number, { state: 'failed', reason: 'not created' });
    return { kind: 'not_created', reason: lastUnknown };
  }
  store.update(number, { state: 'pending', reason: 'shown' });
  hooks.onOrder(created);

  // Wake early when the notification comes (or the cashier cancels).
  const wake = new AbortController();
  const stopListening = context.notifications.onPaid(number, () => wake.abort());
  const onCancel = () => wake.abort();
  signal?.addEventListener('abort', onCancel, { once: true });
  const deadline = now() + policy.timeoutMs;
  try {
    for (let attempt = 0; ; attempt++) {
      const recorded = store.get(number)!;
      if (recorded.state === 'paid') return paidOutcome(recorded, created);
      if (signal?.aborted || now() >= deadline) break;
      await sleep(Math.min(delayAt(policy.queryDelaysMs, attempt), Math.max(0, deadline - now())), wake.signal);
      if (store.get(number)!.state === 'paid') continue;
      // At the time-out the close decides: it closes the order, or answers that it is already paid.
      if (signal?.aborted || now() >= deadline) break;
      const answer = await client.query(number);
      if (answer.kind !== 'ok') continue;
      if (isPaid(answer.value)) {
        store.update(number, paidChange(answer.value, 'queried'));
        return { kind: 'paid', order: answer.value };
      }
      if (isEnded(answer.value)) {
        store.update(number, { state: 'closed', reason: answer.value.trade_state_desc });
        return { kind: 'closed', reason: answer.value.trade_state_desc };
      }
    }
  } finally {
    stopListening();
    signal?.removeEventListener('abort', onCancel);
  }
  return closeOrder(context, number, created, signal?.aborted ? 'cancelled by the cashier' : `not paid within ${policy.timeoutMs} ms`, policy);
}

/** A notification recorded the payment: the order as created, with what the record took from the notification (what a receipt needs). */
function paidOutcome(recorded: WalletPaymentRecord, created: Order): MerchantPresentedOutcome {
  return {
    kind: 'paid',
    order: {
      ...created,
      trade_state: 'SUCCESS',
      trade_state_desc: 'paid',
      ...(recorded.transactionId === undefined ? {} : { transaction_id: recorded.transactionId }),
      ...(recorded.payerAccount === undefined ? {} : { payer: { account: recorded.payerAccount } }),
    },
  };
}

async function closeOrder(context: FlowContext, number: string, created: Order, reason: string, policy: MerchantPresentedPolicy): Promise<MerchantPresentedOutcome> {
  const sleep = sleepFor(context);
  const notified = () => {
    const recorded = context.store.get(number)!;
    return recorded.state === 'paid' ? paidOutcome(recorded, created) : undefined;
  };
  for (let attempt = 0; attempt <= policy.retryDelaysMs.length; attempt++) {
    if (attempt > 0) await sleep(policy.retryDelaysMs[attempt - 1]!);
    // A notification may have landed while the station decided to give up.
    const paid = notified();
    if (paid !== undefined) return paid;
    const answer = await context.client.close(number);
    if (answer.kind === 'ok') {
      context.store.update(number, { state: 'closed', reason });
      return { kind: 'closed', reason };
    }
    if (answer.kind === 'refused' && answer.error.code === 'ORDER_PAID') break;
    if (answer.kind === 'refused' && answer.error.code === 'ORDER_REVERSED') {
      context.store.update(number, { state: 'reversed', reason: 'reversed before the close' });
      return { kind: 'closed', reason: 'the order was reversed' };
    }
  }
  // "Already paid" (the customer paid in the last moment: the sale is paid), or no close confirmed.
  for (let attempt = 0; attempt <= policy.retryDelaysMs.length; attempt++) {
    if (attempt > 0) await sleep(policy.retryDelaysMs[attempt - 1]!);
    const paid = notified();
    if (paid !== undefined) return paid;
    const answer = await context.client.query(number);
    if (answer.kind !== 'ok') continue;
    if (isPaid(answer.value)) {
      context.store.update(number, paidChange(answer.value, 'already paid at the close'));
      return { kind: 'paid', order: answer.value };
    }
    if (isEnded(answer.value)) {
      context.store.update(number, { state: 'closed', reason: answer.value.trade_state_desc });
      return { kind: 'closed', reason: answer.value.trade_state_desc };
    }
  }
  return reverseOrder(context, number, `${reason}; the close was not confirmed`, policy.retryDelaysMs);
}
