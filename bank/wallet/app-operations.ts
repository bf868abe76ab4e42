/**
 * The wallet app's operations (the customer's phone), for the wallet whose user signed the
 * request: show the wallet, issue a payment code, list and confirm (or cancel) payments waiting for
 * the password, and pay a merchant-presented order after scanning its code. Password checks run
 * before the unit (scrypt is slow and runs off the event loop); the unit then re-reads the order,
 * since another request may have moved it meanwhile.
 */
import type { AppPayment, PaymentCode, WalletView } from '../../payments/wallet/wallet-api.ts';
import { applyTimeouts } from './order-timeouts.ts';
import { payOrder } from './pay-order.ts';
import type { PlatformState } from './platform-state.ts';
import { verifyPassword } from './password-hash.ts';
import { WalletApiError } from './wallet-api-error.ts';
import type { WalletAccount } from './wallet-accounts.ts';
import type { OrderRecord } from './wallet-orders.ts';

export interface AppOperations {
  wallet(walletId: string): WalletView;
  issuePaymentCode(walletId: string): PaymentCode;
  pending(walletId: string): AppPayment[];
  confirm(walletId: string, transactionId: string, password: string): Promise<AppPayment>;
  cancel(walletId: string, transactionId: string): AppPayment;
  showOrder(walletId: string, orderCode: string): AppPayment;
  payOrder(walletId: string, orderCode: string, password: string | undefined): Promise<AppPayment>;
}

export function createAppOperations(state: PlatformState, merchantName: (mchid: string) => string): AppOperations {
  const nowMs = () => state.now().getTime();
  const account = (walletId: string) => state.accounts.get(walletId)!;
  const needsPassword = (wallet: WalletAccount, amountMinor: number) => wallet.passwordAboveMinor !== null && amountMinor > wallet.passwordAboveMinor;

  function view(order: OrderRecord, wallet: WalletAccount): AppPayment {
    return {
      ...(order.transactionId === null ? {} : { transaction_id: order.transactionId }),
      ...(order.orderCode === null ? {} : { order_code: order.orderCode }),
      merchant_name: merchantName(order.mchid),
      description: order.description,
      amount: { total: order.amountMinor, currency: 'CNY' },
      trade_state: order.state,
      password_required: order.state === 'USERPAYING' || needsPassword(wallet, order.amountMinor),
    };
  }

  /** The wallet's USERPAYING order with this transaction id, time-outs applied. */
  function pendingOrder(walletId: string, transactionId: string): OrderRecord {
    const found = state.orders.byTransactionId(transactionId);
    if (found === undefined || found.walletId !== walletId) throw new WalletApiError('ORDER_NOT_EXIST', `no payment ${transactionId} waits for this wallet`);
    const order = applyTimeouts(state, found, nowMs());
    if (order.state !== 'USERPAYING') throw stateRefusal(order);
    return order;
  }

  function payable(orderCode: string): OrderRecord {
    const found = state.orders.byCode(orderCode);
    if (found === undefined) throw new WalletApiError('ORDER_NOT_EXIST', `no order with code ${orderCode}`);
    const order = applyTimeouts(state, found, nowMs());
    if (order.state !== 'NOTPAY') throw stateRefusal(order);
    return order;
  }

  /** Wrong password: counts against the payment; the last allowed try fails it. */
  function wrongPassword(order: OrderRecord): never {
    const failures = order.passwordFailures + 1;
    const left = state.config.orders.passwordTries - failures;
    if (left > 0 || order.state !== 'USERPAYING') {
      state.orders.update(order, { state: order.state, passwordFailures: failures });
      throw new WalletApiError('PASSWORD_WRONG', left > 0 ? `wrong payment password; ${left} tries left` : 'wrong payment password');
    }
    state.orders.update(order, { state: 'PAYERROR', stateReason: 'PASSWORD_TRIES_EXCEEDED', passwordFailures: failures, pendingSinceMs: null, endedAtMs: nowMs() });
    throw new WalletApiError('PASSWORD_TRIES_EXCEEDED', `wrong payment password ${failures} times; the payment failed`, 'PAYERROR');
  }

  return {
    wallet(walletId) {
      const wallet = account(walletId);
      return {
        wallet: state.config.brand,
        account: wallet.maskedAccount,
        balance: { total: wallet.balanceMinor, currency: 'CNY' },
        password_above: wallet.passwordAboveMinor,
        status: wallet.status,
      };
    },

    issuePaymentCode(walletId) {
      return state.atomically(() => {
        const now = nowMs();
        state.codes.purge(now);
        const { code, expiresAtMs } = state.codes.issue(walletId, now);
        return { auth_code: code, expires_at: new Date(expiresAtMs).toISOString() };
      });
    },

    pending(walletId) {
      return state.atomically(() => {
        const wallet = account(walletId);
        return state.orders
          .pendingFor(walletId)
          .map((order) => applyTimeouts(state, order, nowMs()))
          .filter((order) => order.state === 'USERPAYING')
          .map((order) => view(order, wallet));
      });
    },

    async confirm(walletId, transactionId, password) {
      state.atomically(() => pendingOrder(walletId, transactionId));
      const right = await verifyPassword(password, account(walletId).passwordHash);
      return state.atomically(() => {
        const order = pendingOrder(walletId, transactionId);
        const wallet = account(walletId);
        if (!right) wrongPassword(order);
        const decision = payOrder(state, order, wallet, nowMs());
        if (decision.ok) return view(decision.order, wallet);
        state.orders.update(order, { state: 'PAYERROR', stateReason: decision.code, pendingSinceMs: null, endedAtMs: nowMs() });
        throw new WalletApiError(decision.code, decision.message, 'PAYERROR');
      });
    },

    cancel(walletId, transactionId) {
      return state.atomically(() => {
        const order = pendingOrder(walletId, transactionId);
        return view(state.orders.update(order, { state: 'PAYERROR', stateReason: 'USER_CANCELLED', pendingSinceMs: null, endedAtMs: nowMs() }), account(walletId));
      });
    },

    showOrder: (walletId, orderCode) => state.atomically(() => view(payable(orderCode), account(walletId))),

    async payOrder(walletId, orderCode, password) {
      const before = state.atomically(() => payable(orderCode));
      if (before.passwordFailures >= state.config.orders.passwordTries) throw new WalletApiError('PASSWORD_TRIES_EXCEEDED', 'too many wrong payment passwords for this order');
      const wallet = account(walletId);
      const asks = needsPassword(wallet, before.amountMinor);
      if (asks && password === undefined) throw new WalletApiError('PASSWORD_REQUIRED', 'this payment needs the payment password');
      const right = asks ? await verifyPassword(password!, wallet.passwordHash) : true;
      return state.atomically(() => {
        const order = payable(orderCode);
        if (!right) wrongPassword(order);
        // A merchant-presented order survives a failed attempt: the payer may try again, or another wallet may pay it.
        const decision = payOrder(state, order, account(walletId), nowMs());
        if (!decision.ok) throw new WalletApiError(decision.code, decision.message);
        return view(decision.order, account(walletId));
      });
    },
  };
}

function stateRefusal(order: OrderRecord): WalletApiError {
  switch (order.state) {
    case 'SUCCESS':
    case 'REFUND':
      return new WalletApiError('ORDER_PAID', 'this order is already paid');
    case 'REVOKED':
      return new WalletApiError('ORDER_REVERSED', 'the merchant reversed this order');
    case 'PAYERROR':
      return new WalletApiError('ORDER_CLOSED', `this payment failed (${order.stateReason})`);
    default:
      return new WalletApiError('ORDER_CLOSED', order.stateReason === 'EXPIRED' ? 'this order has expired' : 'the merchant closed this order');
  }
}
