/**
 * The station's side of payment notifications: verify what the platform POSTs to the notify URL
 * (signature, timestamp, body), record the payment once, and say what to answer. Results:
 *   paid           first news of this payment: the record moves to paid; answer 200 SUCCESS
 *   duplicate      the record already says paid (the platform retries until acknowledged, and
 *                  may send again after its restart): nothing changes; answer 200 SUCCESS
 *   ignored        the order is no longer paid (the station reversed it meanwhile) or the record
 *                  is already settled otherwise: nothing changes; answer 200 SUCCESS
 *   unknown_order  no payment of this station by that number: answer 404 FAIL (the platform
 *                  retries on its schedule and then gives up; the log says so)
 *   bad_signature  not signed by the platform, or stale: answer 401 FAIL, nothing changes
 *   malformed      not a notification: answer 400 FAIL
 * Waiters (the merchant-presented flow) hear of a payment through onPaid().
 */
import { checkFreshness, MESSAGE_HEADERS, messageCanonical, verifyCanonical, type VerifyingKey } from './signature.ts';
import { NOTIFICATION_ACK, NotificationSchema, type Order } from './wallet-api.ts';
import type { WalletPaymentStore } from './wallet-payment-store.ts';

export type NotificationResult =
  | { readonly kind: 'paid'; readonly order: Order }
  | { readonly kind: 'duplicate'; readonly order: Order }
  | { readonly kind: 'ignored'; readonly order: Order; readonly reason: string }
  | { readonly kind: 'unknown_order'; readonly outTradeNo: string }
  | { readonly kind: 'bad_signature'; readonly reason: string }
  | { readonly kind: 'malformed'; readonly reason: string };

export interface NotificationAnswer {
  readonly status: number;
  readonly body: { readonly code: 'SUCCESS' | 'FAIL'; readonly message?: string };
}

export interface NotificationReceiverOptions {
  readonly mchid: string;
  /** The platform's key: the shared HMAC secret, or the platform's RSA public key. */
  readonly platformKey: VerifyingKey;
  readonly store: WalletPaymentStore;
  readonly now?: () => Date;
  readonly timestampWindowSeconds?: number;
}

/** What a flow needs of the notifications: to hear when its order is recorded paid. */
export interface WalletNotificationSource {
  /** Calls `listener` when the order is recorded paid by a notification; returns the unsubscribe. */
  onPaid(outTradeNo: string, listener: (order: Order) => void): () => void;
}

export interface NotificationReceiver extends WalletNotificationSource {
  /** Verifies and records one notification: `headers` lower-case, `body` exactly as received. */
  receive(headers: Readonly<Record<string, string | undefined>>, body: string): { result: NotificationResult; answer: NotificationAnswer };
}

export function createNotificationReceiver(options: NotificationReceiverOptions): NotificationReceiver {
  const now = options.now ?? (() => new Date());
  const listeners = new Map<string, Set<(order: Order) => void>>();

  function verify(headers: Readonly<Record<string, string | undefined>>, body: string): NotificationResult | Order {
    const timestamp = headers[MESSAGE_HEADERS.timestamp];
    const nonce = headers[MESSAGE_HEADERS.nonce];
    const signature = headers[MESSAGE_HEADERS.signature];
    if (timestamp === undefined || nonce === undefined || signature === undefined) return { kind: 'bad_signature', reason: 'the notification is not signed' };
    const freshness = checkFreshness(nonce, timestamp, now(), options.timestampWindowSeconds ?? 300);
    if (freshness !== undefined) return { kind: 'bad_signature', reason: freshness === 'stale' ? 'the notification\'s timestamp is outside the window' : `the notification's ${freshness === 'bad_nonce' ? 'nonce' : 'timestamp'} is malformed` };
    let valid = false;
    try {
      valid = verifyCanonical(options.platformKey, messageCanonical(timestamp, nonce, body), signature);
    } catch {
      valid = false;
    }
    if (!valid) return { kind: 'bad_signature', reason: 'the signature does not match the notification' };
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { kind: 'malformed', reason: 'the body is not JSON' };
    }
    const parsed = NotificationSchema.safeParse(json);
    if (!parsed.success) return { kind: 'malformed', reason: `not a payment notification: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}` };
    if (parsed.data.resource.mchid !== options.mchid) return { kind: 'malformed', reason: `the notification is for merchant ${parsed.data.resource.mchid}` };
    return parsed.data.resource;
  }

  function record(order: Order): NotificationResult {
    const payment = options.store.get(order.out_trade_no);
    if (payment === undefined) return { kind: 'unknown_order', outTradeNo: order.out_trade_no };
    if (payment.state === 'paid') return { kind: 'duplicate', order };
    if (order.trade_state !== 'SUCCESS' && order.trade_state !== 'REFUND') return { kind: 'ignored', order, reason: `the order is ${order.trade_state} now` };
    if (payment.state !== 'started' && payment.state !== 'pending') return { kind: 'ignored', order, reason: `the station's record is already ${payment.state}` };
    if (order.amount.total !== payment.amountMinor) return { kind: 'malformed', reason: `the notified amount ${order.amount.total} is not the order's ${payment.amountMinor}` };
    options.store.update(order.out_trade_no, { state: 'paid', ...(order.transaction_id === undefined ? {} : { transactionId: order.transaction_id }), ...(order.payer === undefined ? {} : { payerAccount: order.payer.account }), reason: 'notified' });
    for (const listener of listeners.get(order.out_trade_no) ?? []) listener(order);
    return { kind: 'paid', order };
  }

  return {
    receive(headers, body) {
      const verified = verify(headers, body);
      const result = 'kind' in verified ? verified : record(verified);
      return { result, answer: answerFor(result) };
    },
    onPaid(outTradeNo, listener) {
      let set = listeners.get(outTradeNo);
      if (set === undefined) listeners.set(outTradeNo, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(outTradeNo);
      };
    },
  };
}

function answerFor(result: NotificationResult): NotificationAnswer {
  switch (result.kind) {
    case 'paid':
    case 'duplicate':
    case 'ignored':
      return { status: 200, body: NOTIFICATION_ACK };
    case 'unknown_order':
      return { status: 404, body: { code: 'FAIL', message: `no payment ${result.outTradeNo} at this station` } };
    case 'bad_signature':
      return { status: 401, body: { code: 'FAIL', message: result.reason } };
    case 'malformed':
      return { status: 400, body: { code: 'FAIL', message: result.reason } };
  }
}
