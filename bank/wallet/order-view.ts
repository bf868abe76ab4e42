/** An order as the merchant API shows it, and the state text that goes with each state. */
import type { Order, TradeState } from '../../payments/wallet/wallet-api.ts';
import type { PlatformState } from './platform-state.ts';
import type { OrderRecord } from './wallet-orders.ts';

const STATE_TEXT: Readonly<Record<TradeState, string>> = {
  NOTPAY: 'not paid yet',
  USERPAYING: 'waiting for the payer to confirm on the phone',
  SUCCESS: 'paid',
  REFUND: 'paid, then refunded',
  CLOSED: 'closed without payment',
  REVOKED: 'reversed',
  PAYERROR: 'payment failed',
};

export function orderView(state: PlatformState, order: OrderRecord): Order {
  const paid = order.paidAtMs !== null;
  const payer = paid && order.walletId !== null ? state.accounts.get(order.walletId) : undefined;
  return {
    mchid: order.mchid,
    out_trade_no: order.outTradeNo,
    trade_type: order.tradeType,
    trade_state: order.state,
    trade_state_desc: order.stateReason === null ? STATE_TEXT[order.state] : `${STATE_TEXT[order.state]} (${order.stateReason})`,
    amount: { total: order.amountMinor, currency: 'CNY', refunded: order.refundedMinor },
    ...(order.orderCode === null ? {} : { order_code: order.orderCode }),
    ...(order.expiresAtMs === null ? {} : { expires_at: new Date(order.expiresAtMs).toISOString() }),
    ...(order.transactionId === null ? {} : { transaction_id: order.transactionId }),
    wallet: state.config.brand,
    ...(payer === undefined ? {} : { payer: { account: payer.maskedAccount } }),
    ...(order.paidAtMs === null ? {} : { success_time: new Date(order.paidAtMs).toISOString() }),
    ...(order.terminalId === null ? {} : { terminal_id: order.terminalId }),
  };
}
