/** Wallet accounts in the ledger: seeded from the wallet deck, then moved only by postings. */
import type { DatabaseSync } from 'node:sqlite';
import type { TestWallet } from '../../common/test-wallets.ts';
import { maskLogin } from './wallet-deck.ts';

export interface WalletAccount {
  readonly walletId: string;
  readonly userId: string;
  readonly maskedAccount: string;
  readonly currency: string;
  readonly balanceMinor: number;
  readonly passwordHash: string;
  readonly passwordAboveMinor: number | null;
  readonly status: 'active' | 'frozen';
}

export type PostingKind = 'payment' | 'refund' | 'reversal';

export interface WalletAccounts {
  /** The deck's wallets not yet in the ledger. */
  missing(wallets: readonly TestWallet[]): TestWallet[];
  /** Creates a wallet from the deck with its password already hashed (password-hash.ts). */
  create(wallet: TestWallet, passwordHash: string): void;
  get(walletId: string): WalletAccount | undefined;
  /** Takes `amountMinor` from the balance, or returns false and changes nothing. */
  debit(walletId: string, orderId: number, amountMinor: number, atMs: number): boolean;
  /** Gives money back (refund, reversal). */
  credit(walletId: string, orderId: number, kind: Exclude<PostingKind, 'payment'>, amountMinor: number, atMs: number): void;
}

interface Row {
  wallet_id: string;
  user_id: string;
  masked_account: string;
  currency: string;
  balance_minor: number;
  password_hash: string;
  password_above_minor: number | null;
  status: 'active' | 'frozen';
}

export function prepareWalletAccounts(db: DatabaseSync): WalletAccounts {
  const exists = db.prepare('SELECT 1 FROM wallet_accounts WHERE wallet_id = ?');
  const insert = db.prepare(`INSERT INTO wallet_accounts (wallet_id, user_id, masked_account, currency, balance_minor, password_hash, password_above_minor, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const select = db.prepare('SELECT * FROM wallet_accounts WHERE wallet_id = ?');
  const debit = db.prepare('UPDATE wallet_accounts SET balance_minor = balance_minor - ? WHERE wallet_id = ? AND balance_minor >= ?');
  const credit = db.prepare('UPDATE wallet_accounts SET balance_minor = balance_minor + ? WHERE wallet_id = ?');
  const post = db.prepare('INSERT INTO wallet_postings (wallet_id, order_id, kind, amount_minor, at_ms) VALUES (?, ?, ?, ?, ?)');

  return {
    missing: (wallets) => wallets.filter((wallet) => exists.get(wallet.id) === undefined),
    create(wallet, passwordHash) {
      insert.run(wallet.id, wallet.userId, maskLogin(wallet.login), wallet.account.currency, wallet.account.balanceMinor, passwordHash, wallet.passwordAboveMinor, wallet.status);
    },
    get(walletId) {
      const row = select.get(walletId) as Row | undefined;
      if (row === undefined) return undefined;
      return {
        walletId: row.wallet_id,
        userId: row.user_id,
        maskedAccount: row.masked_account,
        currency: row.currency,
        balanceMinor: row.balance_minor,
        passwordHash: row.password_hash,
        passwordAboveMinor: row.password_above_minor,
        status: row.status,
      };
    },
    debit(walletId, orderId, amountMinor, atMs) {
      if (Number(debit.run(amountMinor, walletId, amountMinor).changes) !== 1) return false;
      post.run(walletId, orderId, 'payment', -amountMinor, atMs);
      return true;
    },
    credit(walletId, orderId, kind, amountMinor, atMs) {
      credit.run(amountMinor, walletId);
      post.run(walletId, orderId, kind, amountMinor, atMs);
    },
  };
}
