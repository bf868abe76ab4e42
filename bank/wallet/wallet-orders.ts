/** Orders in the ledger, by merchant and merchant order number (the idempotency key). */
import type { DatabaseSync } from 'node:sqlite';
import type { TradeState } from '../../payments/wallet/wallet-api.ts';

export interface OrderRecord {
  readonly id: number;
  readonly mchid: string;
  readonly outTradeNo: string;
  readonly tradeType: 'NATIVE' | 'MICROPAY';
  readonly orderCode: string | null;
  readonly requestDigest: string;
  readonly description: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly terminalId: string | null;
  readonly notifyUrl: string | null;
  readonly state: TradeState;
  readonly stateReason: string | null;
  readonly walletId: string | null;
  readonly transactionId: string | null;
  readonly createdAtMs: number;
  readonly expiresAtMs: number | null;
  readonly pendingSinceMs: number | null;
  readonly passwordFailures: number;
  readonly paidAtMs: number | null;
  readonly refundedMinor: number;
}

export type NewOrder = Pick<OrderRecord, 'mchid' | 'outTradeNo' | 'tradeType' | 'orderCode' | 'requestDigest' | 'description' | 'amountMinor' | 'currency' | 'terminalId' | 'notifyUrl' | 'createdAtMs' | 'expiresAtMs'>;

/** A change of state and what comes with it; fields left out keep their value. */
export interface OrderChange {
  readonly state: TradeState;
  readonly stateReason?: string | null;
  readonly walletId?: string;
  readonly transactionId?: string;
  readonly pendingSinceMs?: number | null;
  readonly passwordFailures?: number;
  readonly paidAtMs?: number;
  readonly endedAtMs?: number;
  readonly refundedMinor?: number;
}

export interface WalletOrders {
  insert(order: NewOrder & { readonly state: TradeState; readonly stateReason?: string }): OrderRecord;
  byNumber(mchid: string, outTradeNo: string): OrderRecord | undefined;
  byCode(orderCode: string): OrderRecord | undefined;
  byTransactionId(transactionId: string): OrderRecord | undefined;
  byId(id: number): OrderRecord | undefined;
  /** The wallet's payments waiting for its confirmation, oldest first. */
  pendingFor(walletId: string): OrderRecord[];
  update(order: OrderRecord, change: OrderChange): OrderRecord;
  /** The next value of a ledger sequence ('wallet_transaction', 'wallet_refund'). */
  nextSequence(name: 'wallet_transaction' | 'wallet_refund'): number;
}

type Row = Record<string, string | number | null>;

const COLUMNS: Readonly<Record<keyof OrderChange, string>> = {
  state: 'state',
  stateReason: 'state_reason',
  walletId: 'wallet_id',
  transactionId: 'transaction_id',
  pendingSinceMs: 'pending_since_ms',
  passwordFailures: 'password_failures',
  paidAtMs: 'paid_at_ms',
  endedAtMs: 'ended_at_ms',
  refundedMinor: 'refunded_minor',
};

export function prepareWalletOrders(db: DatabaseSync): WalletOrders {
  const insert = db.prepare(`
    INSERT INTO wallet_orders (mchid, out_trade_no, trade_type, order_code, request_digest, description, amount_minor, currency, terminal_id, notify_url, state, state_reason, created_at_ms, expires_at_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`);
  const byNumber = db.prepare('SELECT * FROM wallet_orders WHERE mchid = ? AND out_trade_no = ?');
  const byCode = db.prepare('SELECT * FROM wallet_orders WHERE order_code = ?');
  const byTransactionId = db.prepare('SELECT * FROM wallet_orders WHERE transaction_id = ?');
  const byId = db.prepare('SELECT * FROM wallet_orders WHERE id = ?');
  const pending = db.prepare("SELECT * FROM wallet_orders WHERE wallet_id = ? AND state = 'USERPAYING' ORDER BY id");
  const nextSequence = db.prepare('UPDATE sequences SET value = value + 1 WHERE name = ? RETURNING value');
  const updates = new Map<string, ReturnType<DatabaseSync['prepare']>>();

  const read = (row: unknown) => (row === undefined ? undefined : fromRow(row as Row));
  return {
    insert(order) {
      return fromRow(
        insert.get(order.mchid, order.outTradeNo, order.tradeType, order.orderCode, order.requestDigest, order.description, order.amountMinor, order.currency, order.terminalId, order.notifyUrl, order.state, order.stateReason ?? null, order.createdAtMs, order.expiresAtMs) as Row,
      );
    },
    byNumber: (mchid, outTradeNo) => read(byNumber.get(mchid, outTradeNo)),
    byCode: (orderCode) => read(byCode.get(orderCode)),
    byTransactionId: (transactionId) => read(byTransactionId.get(transactionId)),
    byId: (id) => read(byId.get(id)),
    pendingFor: (walletId) => (pending.all(walletId) as Row[]).map(fromRow),
    update(order, change) {
      const keys = (Object.keys(change) as (keyof OrderChange)[]).filter((key) => change[key] !== undefined);
      const sql = `UPDATE wallet_orders SET ${keys.map((key) => `${COLUMNS[key]} = ?`).join(', ')} WHERE id = ? RETURNING *`;
      let statement = updates.get(sql);
      if (statement === undefined) {
        statement = db.prepare(sql);
        updates.set(sql, statement);
      }
      return fromRow(statement.get(...keys.map((key) => change[key] as string | number | null), order.id) as Row);
    },
    nextSequence: (name) => (nextSequence.get(name) as { value: number }).value,
  };
}

function fromRow(row: Row): OrderRecord {
  return {
    id: row.id as number,
    mchid: row.mchid as string,
    outTradeNo: row.out_trade_no as string,
    tradeType: row.trade_type as OrderRecord['tradeType'],
    orderCode: row.order_code as string | null,
    requestDigest: row.request_digest as string,
    description: row.description as string,
    amountMinor: row.amount_minor as number,
    currency: row.currency as string,
    terminalId: row.terminal_id as string | null,
    notifyUrl: row.notify_url as string | null,
    state: row.state as TradeState,
    stateReason: row.state_reason as string | null,
    walletId: row.wallet_id as string | null,
    transactionId: row.transaction_id as string | null,
    createdAtMs: row.created_at_ms as number,
    expiresAtMs: row.expires_at_ms as number | null,
    pendingSinceMs: row.pending_since_ms as number | null,
    passwordFailures: row.password_failures as number,
    paidAtMs: row.paid_at_ms as number | null,
    refundedMinor: row.refunded_minor as number,
  };
}
