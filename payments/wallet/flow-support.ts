/** What the wallet flows share: their context, the clock and sleep they use, and the reversal. */
import type { WalletClient } from './wallet-client.ts';
import type { Order } from './wallet-api.ts';
import type { WalletPaymentStore } from './wallet-payment-store.ts';

export interface FlowContext {
  readonly client: WalletClient;
  readonly store: WalletPaymentStore;
  /** Milliseconds on a monotonic clock (performance.now by default). */
  readonly now?: () => number;
  /** Waits `ms`, or less when `signal` aborts (setTimeout by default). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly log?: (line: string) => void;
}

export type ReversalOutcome =
  /** The platform confirmed: the order is REVOKED (unpaid, or paid and given back in full). */
  | { readonly kind: 'reversed'; readonly reason: string; readonly order: Order }
  /** No confirmation within the retries: the record stays "reversing" and recovery finishes it. */
  | { readonly kind: 'reversal_pending'; readonly reason: string };

export function sleepFor(context: FlowContext): (ms: number, signal?: AbortSignal) => Promise<void> {
  return context.sleep ?? defaultSleep;
}

export function clockOf(context: FlowContext): () => number {
  return context.now ?? (() => performance.now());
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The delay before attempt `index` (0-based); the schedule's last delay repeats. */
export function delayAt(schedule: readonly number[], index: number): number {
  return schedule[Math.min(index, schedule.length - 1)] ?? 1_000;
}

/**
 * Gives up on an order: records "reversing" first (so a crash here is finished by recovery), then
 * asks the platform to reverse until it confirms or the retries run out. A reversal is final and
 * idempotent on the platform; an order that never arrived is barred from arriving later.
 */
export async function reverseOrder(context: FlowContext, outTradeNo: string, reason: string, retryDelaysMs: readonly number[]): Promise<ReversalOutcome> {
  const sleep = sleepFor(context);
  context.store.update(outTradeNo, { state: 'reversing', reason });
  let last = '';
  for (let attempt = 0; attempt <= retryDelaysMs.length; attempt++) {
    if (attempt > 0) await sleep(retryDelaysMs[attempt - 1]!);
    const answer = await context.client.reverse(outTradeNo);
    if (answer.kind === 'ok') {
      context.store.update(outTradeNo, { state: 'reversed', reason });
      context.log?.(`wallet: order ${outTradeNo} reversed (${reason}; ${answer.value.trade_state_desc})`);
      return { kind: 'reversed', reason, order: answer.value };
    }
    last = answer.kind === 'refused' ? `${answer.error.code}: ${answer.error.message}` : answer.reason;
  }
  context.log?.(`wallet: reversal of ${outTradeNo} not confirmed (${last}); recovery will retry`);
  return { kind: 'reversal_pending', reason: `${reason}; reversal not confirmed: ${last}` };
}

export function paidChange(order: Order, reason: string): { state: 'paid'; transactionId?: string; payerAccount?: string; reason: string } {
  return {
    state: 'paid',
    ...(order.transaction_id === undefined ? {} : { transactionId: order.transaction_id }),
    ...(order.payer === undefined ? {} : { payerAccount: order.payer.account }),
    reason,
  };
}

export const isPaid = (order: Order) => order.trade_state === 'SUCCESS' || order.trade_state === 'REFUND';
export const isEnded = (order: Order) => order.trade_state === 'CLOSED' || order.trade_state === 'REVOKED' || order.trade_state === 'PAYERROR';
