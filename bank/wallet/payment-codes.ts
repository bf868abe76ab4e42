/**
 * Customer-presented payment codes: 18 digits, the first two from the platform's prefix range (the
 * convention Chinese wallets follow: 10–15 WeChat Pay, 25–30 Alipay), then a 9-digit serial (the
 * row's key, so issuing appends and checking is a lookup by key) and 7 random digits (so a code
 * cannot be guessed from its neighbours). Each is valid for a short time and pays one order only.
 */
import { randomInt } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';

export type CodeProblem = 'AUTH_CODE_INVALID' | 'AUTH_CODE_EXPIRED' | 'AUTH_CODE_USED';

const MAX_SERIAL = 999_999_999;

export interface PaymentCodes {
  issue(walletId: string, nowMs: number): { code: string; expiresAtMs: number };
  /** The wallet the code belongs to, or why it cannot pay. Does not use it up. */
  check(code: string, nowMs: number): { walletId: string } | { problem: CodeProblem };
  markUsed(code: string, orderId: number): void;
  /** Forgets codes that expired more than a day ago (a used or late code then reads as invalid); at most once a minute. */
  purge(nowMs: number): void;
}

export function preparePaymentCodes(db: DatabaseSync, prefixes: readonly string[], ttlMs: number): PaymentCodes {
  const insert = db.prepare('INSERT INTO wallet_payment_codes (code, wallet_id, issued_at_ms, expires_at_ms) VALUES (?, ?, ?, ?) RETURNING serial');
  const setCode = db.prepare('UPDATE wallet_payment_codes SET code = ? WHERE serial = ?');
  const select = db.prepare('SELECT code, wallet_id, expires_at_ms, used_by_order_id FROM wallet_payment_codes WHERE serial = ?');
  const use = db.prepare('UPDATE wallet_payment_codes SET used_by_order_id = ? WHERE serial = ?');
  const purge = db.prepare('DELETE FROM wallet_payment_codes WHERE expires_at_ms < ?');
  const prefixSet = new Set(prefixes);
  let lastPurgeMs = 0;

  return {
    issue(walletId, nowMs) {
      const { serial } = insert.get('', walletId, nowMs, nowMs + ttlMs) as { serial: number };
      // A billion codes outlive any simulator run; past that the codes would no longer be unique.
      if (serial > MAX_SERIAL) throw new Error('the payment code serials are used up; start the platform on a fresh ledger');
      const code = prefixes[randomInt(prefixes.length)]! + String(serial).padStart(9, '0') + String(randomInt(10_000_000)).padStart(7, '0');
      setCode.run(code, serial);
      return { code, expiresAtMs: nowMs + ttlMs };
    },
    check(code, nowMs) {
      if (!/^\d{18}$/.test(code) || !prefixSet.has(code.slice(0, 2))) return { problem: 'AUTH_CODE_INVALID' };
      const row = select.get(Number(code.slice(2, 11))) as { code: string; wallet_id: string; expires_at_ms: number; used_by_order_id: number | null } | undefined;
      if (row === undefined || row.code !== code) return { problem: 'AUTH_CODE_INVALID' };
      if (row.used_by_order_id !== null) return { problem: 'AUTH_CODE_USED' };
      if (nowMs > row.expires_at_ms) return { problem: 'AUTH_CODE_EXPIRED' };
      return { walletId: row.wallet_id };
    },
    markUsed: (code, orderId) => void use.run(orderId, Number(code.slice(2, 11))),
    purge(nowMs) {
      if (nowMs - lastPurgeMs < 60_000) return;
      lastPurgeMs = nowMs;
      purge.run(nowMs - 86_400_000);
    },
  };
}
