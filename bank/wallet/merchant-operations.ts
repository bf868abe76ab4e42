/**
 * The merchant API's operations, each one atomic unit of ledger work (the HTTP layer answers only
 * once it is committed). Idempotent by the merchant's numbers: a repeat of a create or micropay
 * with the same out_trade_no and the same content answers the order as it stands now; the same
 * number with other content is OUT_TRADE_NO_USED. Refunds likewise by out_refund_no.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CreateOrderRequest, MicropayRequest, Order, Refund, RefundRequest } from '../../payments/wallet/wallet-api.ts';
import { applyTimeouts } from './order-timeouts.ts';
import { orderView } from './order-view.ts';
import { dateDigits, newTransactionId, payOrder } from './pay-order.ts';
import type { PlatformState } from './platform-state.ts';
import { WalletApiError } from './wallet-api-error.ts';
import type { OrderRecord } from './wallet-orders.ts';

export interface MerchantOperations {
  createNativeOrder(mchid: string, request: CreateOrderRequest): Order;
  /** 200 with a paid order, or 202 with a USERPAYING one; a failed payment throws (its order is PAYERROR). */
  micropay(mchid: string, request: MicropayRequest): { status: 200 | 202; order: Order };
  query(mchid: string, outTradeNo: string): Order;
  close(mchid: string, outTradeNo: string): void;
  reverse(mchid: string, outTradeNo: string): Order;
  refund(mchid: string, request: RefundRequest): Refund;
  queryRefund(mchid: string, outRefundNo: string): Refund;
}

export function createMerchantOperations(state: PlatformState): MerchantOperations {
  const nowMs = () => state.now().getTime();

  /** The order as it stands, time-outs applied; ORDER_NOT_EXIST when the merchant has none by that number. */
  function existing(mchid: string, outTradeNo: string): OrderRecord {
    const order = state.orders.byNumber(mchid, outTradeNo);
    if (order === undefined) throw new WalletApiError('ORDER_NOT_EXIST', `no order ${outTradeNo} for merchant ${mchid}`);
    return applyTimeouts(state, order, nowMs());
  }

  function repeat(order: OrderRecord, digest: string): OrderRecord {
    if (order.requestDigest !== digest) throw new WalletApiError('OUT_TRADE_NO_USED', `order number ${order.outTradeNo} was already used for another order`);
    return applyTimeouts(state, order, nowMs());
  }

  function refundView(order: OrderRecord, refund: { outRefundNo: string; refundId: string; amountMinor: number; atMs: number }): Refund {
    return {
      out_refund_no: refund.outRefundNo,
      refund_id: refund.refundId,
      out_trade_no: order.outTradeNo,
      transaction_id: order.transactionId!,
      status: 'SUCCESS',
      amount: { refund: refund.amountMinor, currency: 'CNY' },
      success_time: new Date(refund.atMs).toISOString(),
    };
  }

  /**
   * A reversal of an order that never arrived (the micropay lost on its way, or still on it) leaves
   * a REVOKED tombstone under that number, so the late request, if it ever comes, is refused
   * (OUT_TRADE_NO_USED) instead of charging a customer the station already gave up on.
   */
  function tombstone(mchid: string, outTradeNo: string): OrderRecord {
    const now = nowMs();
    return state.orders.insert({
      mchid,
      outTradeNo,
      tradeType: 'MICROPAY',
      orderCode: null,
      requestDigest: 'REVERSED_BEFORE_ARRIVAL',
      description: '(reversed before it arrived)',
      amountMinor: 0,
      currency: 'CNY',
      terminalId: null,
      notifyUrl: null,
      createdAtMs: now,
      expiresAtMs: null,
      state: 'REVOKED',
      stateReason: 'REVERSED_BEFORE_ARRIVAL',
    });
  }

  return {
    createNativeOrder(mchid, request) {
      return state.atomically(() => {
        const digest = digestOf(['NATIVE', request.description, request.amount.total, request.notify_url, request.terminal_id ?? null, request.expire_seconds ?? null]);
        const found = state.orders.byNumber(mchid, request.out_trade_no);
        if (found !== undefined) return orderView(state, repeat(found, digest));
        const now = nowMs();
        const order = state.orders.insert({
          mchid,
          outTradeNo: request.out_trade_no,
          tradeType: 'NATIVE',
          orderCode: `W${randomBytes(12).toString('hex').toUpperCase()}`,
          requestDigest: digest,
          description: request.description,
          amountMinor: request.amount.total,
          currency: request.amount.currency,
          terminalId: request.terminal_id ?? null,
          notifyUrl: request.notify_url,
          createdAtMs: now,
          expiresAtMs: now + (request.expire_seconds ?? state.config.orders.expireSeconds) * 1000,
          state: 'NOTPAY',
        });
        return orderView(state, order);
      });
    },

    micropay(mchid, request) {
      return state.atomically(() => {
        const digest = digestOf(['MICROPAY', request.description, request.amount.total, request.auth_code, request.notify_url ?? null, request.terminal_id ?? null]);
        const found = state.orders.byNumber(mchid, request.out_trade_no);
        if (found !== undefined) {
          const order = repeat(found, digest);
          if (order.state === 'PAYERROR') throw new WalletApiError(failureCode(order.stateReason), `the payment of order ${order.outTradeNo} failed: ${order.stateReason}`, 'PAYERROR');
          return { status: order.state === 'USERPAYING' ? 202 : 200, order: orderView(state, order) };
        }
        const now = nowMs();
        // A code that cannot pay creates no order: the merchant may scan a fresh code under the same number.
        const checked = state.codes.check(request.auth_code, now);
        if ('problem' in checked) throw new WalletApiError(checked.problem, CODE_PROBLEMS[checked.problem]);
        const wallet = state.accounts.get(checked.walletId)!;
        let order = state.orders.insert({
          mchid,
          outTradeNo: request.out_trade_no,
          tradeType: 'MICROPAY',
          orderCode: null,
          requestDigest: digest,
          description: request.description,
          amountMinor: request.amount.total,
          currency: request.amount.currency,
          terminalId: request.terminal_id ?? null,
          notifyUrl: request.notify_url ?? null,
          createdAtMs: now,
          expiresAtMs: null,
          state: 'NOTPAY',
        });
        state.codes.markUsed(request.auth_code, order.id);
        if (wallet.passwordAboveMinor !== null && order.amountMinor > wallet.passwordAboveMinor && wallet.status === 'active') {
          order = state.orders.update(order, {
            state: 'USERPAYING',
            walletId: wallet.walletId,
            transactionId: newTransactionId(state, now),
            pendingSinceMs: now,
          });
          return { status: 202, order: orderView(state, order) };
        }
        const decision = payOrder(state, order, wallet, now);
        if (decision.ok) return { status: 200, order: orderView(state, decision.order) };
        state.orders.update(order, { state: 'PAYERROR', stateReason: decision.code, walletId: wallet.walletId, endedAtMs: now });
        throw new WalletApiError(decision.code, decision.message, 'PAYERROR');
      });
    },

    query: (mchid, outTradeNo) => state.atomically(() => orderView(state, existing(mchid, outTradeNo))),

    close(mchid, outTradeNo) {
      state.atomically(() => {
        const order = existing(mchid, outTradeNo);
        switch (order.state) {
          case 'SUCCESS':
          case 'REFUND':
            throw new WalletApiError('ORDER_PAID', `order ${outTradeNo} is already paid (transaction ${order.transactionId})`);
          case 'REVOKED':
            throw new WalletApiError('ORDER_REVERSED', `order ${outTradeNo} was reversed`);
          case 'CLOSED':
            return;
          default:
            state.orders.update(order, { state: 'CLOSED', stateReason: order.state === 'PAYERROR' ? order.stateReason : 'CLOSED_BY_MERCHANT', pendingSinceMs: null, endedAtMs: nowMs() });
        }
      });
    },

    reverse(mchid, outTradeNo) {
      return state.atomically(() => {
        if (state.orders.byNumber(mchid, outTradeNo) === undefined) return orderView(state, tombstone(mchid, outTradeNo));
        const order = existing(mchid, outTradeNo);
        if (order.state === 'REVOKED') return orderView(state, order);
        if (order.state === 'REFUND') throw new WalletApiError('REVERSE_NOT_ALLOWED', `order ${outTradeNo} has refunds; refund the rest instead of reversing`);
        const now = nowMs();
        if (order.state === 'SUCCESS') state.accounts.credit(order.walletId!, order.id, 'reversal', order.amountMinor, now);
        return orderView(state, state.orders.update(order, { state: 'REVOKED', stateReason: order.state === 'SUCCESS' ? 'REVERSED_PAID' : 'REVERSED_UNPAID', pendingSinceMs: null, endedAtMs: now }));
      });
    },

    refund(mchid, request) {
      return state.atomically(() => {
        const order = existing(mchid, request.out_trade_no);
        const found = state.refunds.byNumber(mchid, request.out_refund_no);
        if (found !== undefined) {
          if (found.orderId !== order.id || found.amountMinor !== request.amount.refund) throw new WalletApiError('OUT_TRADE_NO_USED', `refund number ${request.out_refund_no} was already used for another refund`);
          return refundView(order, found);
        }
        if (order.state !== 'SUCCESS' && order.state !== 'REFUND') throw new WalletApiError('REFUND_NOT_ALLOWED', `order ${order.outTradeNo} is ${order.state}; only a paid order can be refunded`);
        if (order.refundedMinor + request.amount.refund > order.amountMinor) {
          throw new WalletApiError('REFUND_AMOUNT_EXCEEDED', `refund ${request.amount.refund} is more than the ${order.amountMinor - order.refundedMinor} left of order ${order.outTradeNo}`);
        }
        const now = nowMs();
        const refund = {
          orderId: order.id,
          mchid,
          outRefundNo: request.out_refund_no,
          refundId: `5030${dateDigits(now)}${String(state.orders.nextSequence('wallet_refund')).padStart(16, '0')}`,
          amountMinor: request.amount.refund,
          currency: request.amount.currency,
          reason: request.reason ?? null,
          atMs: now,
        };
        state.refunds.insert(refund);
        state.accounts.credit(order.walletId!, order.id, 'refund', refund.amountMinor, now);
        const updated = state.orders.update(order, { state: 'REFUND', refundedMinor: order.refundedMinor + refund.amountMinor });
        return refundView(updated, refund);
      });
    },

    queryRefund(mchid, outRefundNo) {
      return state.atomically(() => {
        const refund = state.refunds.byNumber(mchid, outRefundNo);
        if (refund === undefined) throw new WalletApiError('ORDER_NOT_EXIST', `no refund ${outRefundNo} for merchant ${mchid}`);
        return refundView(state.orders.byId(refund.orderId)!, refund);
      });
    },
  };
}

const CODE_PROBLEMS = {
  AUTH_CODE_INVALID: 'the payment code is not one this platform issued; ask the customer to show the code again',
  AUTH_CODE_EXPIRED: 'the payment code has expired; ask the customer to refresh it',
  AUTH_CODE_USED: 'the payment code was already used; ask the customer to refresh it',
} as const;

function failureCode(reason: string | null): 'ACCOUNT_FROZEN' | 'RISK_DECLINED' | 'NOT_ENOUGH' | 'PASSWORD_TRIES_EXCEEDED' | 'USER_CANCELLED' | 'USER_TIMEOUT' {
  const known = ['ACCOUNT_FROZEN', 'RISK_DECLINED', 'NOT_ENOUGH', 'PASSWORD_TRIES_EXCEEDED', 'USER_CANCELLED', 'USER_TIMEOUT'] as const;
  return known.find((code) => code === reason) ?? 'RISK_DECLINED';
}

function digestOf(parts: readonly (string | number | null)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64');
}
