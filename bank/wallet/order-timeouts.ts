/**
 * Time-outs applied when an order is next touched (inside that request's unit), so no timer has
 * to survive a restart: an unpaid merchant-presented order past its expiry is CLOSED, and a payment
 * that waited for the payer's confirmation longer than the platform allows fails USER_TIMEOUT.
 */
import type { PlatformState } from './platform-state.ts';
import type { OrderRecord } from './wallet-orders.ts';

export function applyTimeouts(state: PlatformState, order: OrderRecord, nowMs: number): OrderRecord {
  if (order.state === 'NOTPAY' && order.expiresAtMs !== null && nowMs > order.expiresAtMs) {
    return state.orders.update(order, { state: 'CLOSED', stateReason: 'EXPIRED', endedAtMs: nowMs });
  }
  if (order.state === 'USERPAYING' && order.pendingSinceMs !== null && nowMs > order.pendingSinceMs + state.config.orders.userPayingTimeoutSeconds * 1000) {
    return state.orders.update(order, { state: 'PAYERROR', stateReason: 'USER_TIMEOUT', pendingSinceMs: null, endedAtMs: nowMs });
  }
  return order;
}
