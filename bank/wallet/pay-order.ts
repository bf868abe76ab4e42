/**
 * The payment decision, once the payer is known (and has confirmed where needed): frozen wallet →
 * the host's risk rules (those that watch this wallet) → funds → debit. Runs inside the request's
 * unit; the order becomes SUCCESS with a transaction id, and its notification is queued in the same
 * unit. Every outcome reaches the risk monitor, as a card purchase's does: declines feed its rules.
 * The risk log names the wallet by its masked user number, and the terminal by the merchant's
 * terminal_id (or its mchid when it sent none).
 */
import { RESPONSE_CODE } from '../issuer/response-codes.ts';
import type { PlatformState } from './platform-state.ts';
import type { WalletAccount } from './wallet-accounts.ts';
import type { OrderRecord } from './wallet-orders.ts';

export type PaymentDecision =
  | { readonly ok: true; readonly order: OrderRecord }
  | { readonly ok: false; readonly code: 'ACCOUNT_FROZEN' | 'RISK_DECLINED' | 'NOT_ENOUGH'; readonly message: string };

export function payOrder(state: PlatformState, order: OrderRecord, wallet: WalletAccount, nowMs: number): PaymentDecision {
  const watched = state.risk.watch({
    pan: wallet.userId,
    tid: order.terminalId ?? order.mchid,
    stan: String(order.id % 1_000_000).padStart(6, '0'),
    amountMinor: order.amountMinor,
    currencyNumeric: '156',
    ...(state.walletRiskRules.get(wallet.walletId) === undefined ? {} : { ruleIds: state.walletRiskRules.get(wallet.walletId)! }),
  });
  if (wallet.status === 'frozen') {
    watched.settle({ responseCode: RESPONSE_CODE.notPermittedToCardholder });
    return { ok: false, code: 'ACCOUNT_FROZEN', message: 'the payer\'s wallet is frozen' };
  }
  const risk = watched.assess();
  if (risk.responseCode !== undefined) {
    watched.settle({ responseCode: risk.responseCode });
    return { ok: false, code: 'RISK_DECLINED', message: `declined by the platform's risk rules (${risk.reasons.map((reason) => reason.split(':')[0]).join(', ')})` };
  }
  if (!state.accounts.debit(wallet.walletId, order.id, order.amountMinor, nowMs)) {
    watched.settle({ responseCode: RESPONSE_CODE.insufficientFunds });
    return { ok: false, code: 'NOT_ENOUGH', message: 'the wallet balance is not enough' };
  }
  watched.settle({ responseCode: RESPONSE_CODE.approved });
  const paid = state.orders.update(order, {
    state: 'SUCCESS',
    stateReason: null,
    walletId: wallet.walletId,
    // A payment that waited for the payer's password keeps the id it was given then.
    transactionId: order.transactionId ?? newTransactionId(state, nowMs),
    pendingSinceMs: null,
    paidAtMs: nowMs,
  });
  if (paid.notifyUrl !== null) state.outbox.add(paid.id, paid.notifyUrl, nowMs);
  return { ok: true, order: paid };
}

/** 28 digits: "4200", the UTC date, a 16-digit ledger sequence. */
export function newTransactionId(state: PlatformState, nowMs: number): string {
  return `4200${dateDigits(nowMs)}${String(state.orders.nextSequence('wallet_transaction')).padStart(16, '0')}`;
}

export function dateDigits(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10).replaceAll('-', '');
}
