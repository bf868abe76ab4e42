/**
 * Customer-presented payment codes: 18 digits, the first two from the platform's prefix range (the
 * convention Chinese wallets follow: 10–15 WeChat Pay, 25–30 Alipay), the other 16 random. Each
 * is valid for a short time and pays one order only.
 */
import { randomInt } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';

export type CodeProblem = 'AUTH_CODE_INVALID' | 'AUTH_CODE_EXPIRED' | 'AUTH_CODE_USED';

export interface PaymentCodes {
  issue(walletId: string, nowMs: number): { code: string; expiresAtMs: number };
  /** The wallet the code belongs to, or why it cannot pay. Does not use it up. */
  check(code: string, nowMs: number): { walletId: string } | { problem: CodeProblem };
  markUsed(code: string, orderId: number): void;
  /** Forgets codes that expired more than a day ago (a used or late code then reads as invalid). */
  purge(nowMs: number): void;
}

export function preparePaymentCodes(db: DatabaseSync, prefixes: readonly string[], ttlMs: number): PaymentCodes {
  const insert = db.prepare('INSERT INTO wallet_payment_codes (code, wallet_id, issued_at_ms, expires_at_ms) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING');
  const select = db.prepare('SELECT wallet_id, expires_at_ms, used_by_order_id FROM wallet_payment_codes WHERE code = ?');
  const use = db.prepare('UPDATE wallet_payment_codes SET used_by_order_id = ? WHERE code = ?');
  const purge = db.prepare('DELETE FROM wallet_payment_codes WHERE expires_at_ms < ?');
  const prefixSet = new Set(prefixes);

  return {
    issue(walletId, nowMs) {
      for (;;) {
        const code = prefixes[randomInt(prefixes.length)]! + String(randomInt(1e8)).padStart(8, '0') + String(randomInt(1e8)).padStart(8, '0');
        if (Number(insert.run(code, walletId, nowMs, nowMs + ttlMs).changes) === 1) return { code, expiresAtMs: nowMs + ttlMs };
      }
    },
    check(code, nowMs) {
      if (!prefixSet.has(code.slice(0, 2))) return { problem: 'AUTH_CODE_INVALID' };
      const row = select.get(code) as { wallet_id: string; expires_at_ms: number; used_by_order_id: number | null } | undefined;
      if (row === undefined) return { problem: 'AUTH_CODE_INVALID' };
      if (row.used_by_order_id !== null) return { problem: 'AUTH_CODE_USED' };
      if (nowMs > row.expires_at_ms) return { problem: 'AUTH_CODE_EXPIRED' };
      return { walletId: row.wallet_id };
    },
    markUsed: (code, orderId) => void use.run(orderId, code),
    purge: (nowMs) => void purge.run(nowMs - 86_400_000),
  };
}
