/**
 * The station's own record of its wallet payments, in SQLite (synchronous=FULL: a state is on disk
 * before the flow acts on it). The flows write ahead: a payment is recorded as started before its
 * first request leaves, so after a crash the station knows every order number it may have sent,
 * and recovery (wallet-recovery.ts) can settle each with the platform. The sale model's journal
 * may take this table over later; until then it lives in its own file. It holds no payer data but
 * the masked account and the wallet's transaction id, as a receipt would.
 */
import { DatabaseSync } from 'node:sqlite';
import { migrate } from '../../common-node/sqlite-migrations.ts';

/**
 * started    written ahead; the first request may or may not have reached the platform
 * pending    the platform has the order, not paid yet (NOTPAY, USERPAYING) or its answer was unknown
 * paid       the platform says SUCCESS (or REFUND)
 * failed     the platform refused or failed it: no money moved
 * closed     the station closed it unpaid: no payment can follow
 * reversing  the station gave up on it and asked for a reversal that is not confirmed yet
 * reversed   the platform confirmed the reversal: unpaid, or paid and given back in full
 */
export type WalletPaymentState = 'started' | 'pending' | 'paid' | 'failed' | 'closed' | 'reversing' | 'reversed';

export interface WalletPaymentRecord {
  readonly outTradeNo: string;
  readonly kind: 'micropay' | 'native';
  readonly amountMinor: number;
  readonly currency: 'CNY';
  readonly state: WalletPaymentState;
  readonly transactionId?: string;
  readonly payerAccount?: string;
  /** The platform's error code or the station's reason for the last change. */
  readonly reason?: string;
  readonly updatedAt: string;
}

export interface WalletPaymentChange {
  readonly state: WalletPaymentState;
  readonly transactionId?: string;
  readonly payerAccount?: string;
  readonly reason?: string;
}

export interface WalletPaymentStore {
  /** Writes a payment ahead of its first request; refuses an order number already used. */
  begin(payment: { outTradeNo: string; kind: 'micropay' | 'native'; amountMinor: number }): void;
  get(outTradeNo: string): WalletPaymentRecord | undefined;
  update(outTradeNo: string, change: WalletPaymentChange): WalletPaymentRecord;
  /** Payments the station has not settled: started, pending, reversing. */
  unfinished(): WalletPaymentRecord[];
  close(): void;
}

const MIGRATIONS = [
  `CREATE TABLE wallet_payments (
     out_trade_no TEXT PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('micropay', 'native')),
     amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
     currency TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('started', 'pending', 'paid', 'failed', 'closed', 'reversing', 'reversed')),
     transaction_id TEXT,
     payer_account TEXT,
     reason TEXT,
     updated_at TEXT NOT NULL
   ) STRICT;
   CREATE INDEX wallet_payments_unfinished ON wallet_payments (state) WHERE state IN ('started', 'pending', 'reversing');`,
];

type Row = Record<string, string | number | null>;

export function openWalletPaymentStore(path: string, now: () => Date = () => new Date()): WalletPaymentStore {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
  migrate(db, { name: 'wallet payment store', owner: 'this station', migrations: MIGRATIONS });
  const insert = db.prepare("INSERT INTO wallet_payments (out_trade_no, kind, amount_minor, currency, state, updated_at) VALUES (?, ?, ?, 'CNY', 'started', ?)");
  const select = db.prepare('SELECT * FROM wallet_payments WHERE out_trade_no = ?');
  const update = db.prepare(
    'UPDATE wallet_payments SET state = ?, transaction_id = COALESCE(?, transaction_id), payer_account = COALESCE(?, payer_account), reason = ?, updated_at = ? WHERE out_trade_no = ? RETURNING *',
  );
  const unfinished = db.prepare("SELECT * FROM wallet_payments WHERE state IN ('started', 'pending', 'reversing') ORDER BY updated_at");
  return {
    begin(payment) {
      try {
        insert.run(payment.outTradeNo, payment.kind, payment.amountMinor, now().toISOString());
      } catch (error) {
        if (select.get(payment.outTradeNo) !== undefined) throw new Error(`wallet order number ${payment.outTradeNo} is already used`);
        throw error;
      }
    },
    get: (outTradeNo) => fromRow(select.get(outTradeNo) as Row | undefined),
    update(outTradeNo, change) {
      const row = update.get(change.state, change.transactionId ?? null, change.payerAccount ?? null, change.reason ?? null, now().toISOString(), outTradeNo) as Row | undefined;
      if (row === undefined) throw new Error(`no wallet payment ${outTradeNo} on record`);
      return fromRow(row)!;
    },
    unfinished: () => (unfinished.all() as Row[]).map((row) => fromRow(row)!),
    close: () => db.close(),
  };
}

function fromRow(row: Row | undefined): WalletPaymentRecord | undefined {
  if (row === undefined) return undefined;
  return {
    outTradeNo: row.out_trade_no as string,
    kind: row.kind as WalletPaymentRecord['kind'],
    amountMinor: row.amount_minor as number,
    currency: 'CNY',
    state: row.state as WalletPaymentState,
    ...(row.transaction_id === null ? {} : { transactionId: row.transaction_id as string }),
    ...(row.payer_account === null ? {} : { payerAccount: row.payer_account as string }),
    ...(row.reason === null ? {} : { reason: row.reason as string }),
    updatedAt: row.updated_at as string,
  };
}
