/** Refunds in the ledger, by merchant and merchant refund number (the idempotency key). */
import type { DatabaseSync } from 'node:sqlite';

export interface RefundRecord {
  readonly orderId: number;
  readonly mchid: string;
  readonly outRefundNo: string;
  readonly refundId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly reason: string | null;
  readonly atMs: number;
}

export interface WalletRefunds {
  insert(refund: RefundRecord): void;
  byNumber(mchid: string, outRefundNo: string): RefundRecord | undefined;
}

export function prepareWalletRefunds(db: DatabaseSync): WalletRefunds {
  const insert = db.prepare('INSERT INTO wallet_refunds (order_id, mchid, out_refund_no, refund_id, amount_minor, currency, reason, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const select = db.prepare('SELECT * FROM wallet_refunds WHERE mchid = ? AND out_refund_no = ?');
  return {
    insert: (r) => void insert.run(r.orderId, r.mchid, r.outRefundNo, r.refundId, r.amountMinor, r.currency, r.reason, r.atMs),
    byNumber(mchid, outRefundNo) {
      const row = select.get(mchid, outRefundNo) as Record<string, string | number | null> | undefined;
      if (row === undefined) return undefined;
      return {
        orderId: row.order_id as number,
        mchid: row.mchid as string,
        outRefundNo: row.out_refund_no as string,
        refundId: row.refund_id as string,
        amountMinor: row.amount_minor as number,
        currency: row.currency as string,
        reason: row.reason as string | null,
        atMs: row.at_ms as number,
      };
    },
  };
}
