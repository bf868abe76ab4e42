/**
 * Account balances. Two figures per account:
 *   posted    settled money only: a debit account's ledger balance, a credit account's amount owed;
 *   available what the card may spend now: the posted position less held purchases plus pending
 *             refunds (debit: posted + …; credit: limit − posted + …).
 * Approvals, refunds and reversals move `available`; only settlement moves `posted`.
 */
import type { DatabaseSync } from 'node:sqlite';
import { maskPan } from '../../common/card/pan.ts';
import type { TestDeckCard } from '../../common/test-deck.ts';

export interface AccountBalances {
  readonly accountType: 'debit' | 'credit';
  readonly currency: string;
  /** Debit: ledger balance. Credit: amount owed (negative when the cardholder is in credit). */
  readonly postedMinor: number;
  /** Debit: available balance. Credit: available credit. */
  readonly availableMinor: number;
}

export interface Accounts {
  /** Creates accounts for cards not yet in the ledger; returns how many were created. */
  seed(cards: readonly TestDeckCard[]): number;
  availableMinor(cardId: string): number | undefined;
  balances(cardId: string): AccountBalances | undefined;
  /** Spends `amountMinor` of what is available, or returns false and changes nothing. */
  spend(cardId: string, amountMinor: number): boolean;
  /** Moves `available` by a signed amount, below zero if it must (a reversal is never refused). */
  adjustAvailable(cardId: string, deltaMinor: number): void;
}

interface BalanceRow {
  account_type: 'debit' | 'credit';
  currency: string;
  posted_minor: number;
  available_minor: number;
}

export function prepareAccounts(db: DatabaseSync): Accounts {
  const insert = db.prepare(`
    INSERT INTO accounts (card_id, masked_pan, account_type, currency, credit_limit_minor, posted_minor, available_minor)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (card_id) DO NOTHING`);
  const selectAvailable = db.prepare('SELECT available_minor FROM accounts WHERE card_id = ?');
  const selectBalances = db.prepare('SELECT account_type, currency, posted_minor, available_minor FROM accounts WHERE card_id = ?');
  const spend = db.prepare('UPDATE accounts SET available_minor = available_minor - ?1 WHERE card_id = ?2 AND available_minor >= ?1');
  const adjust = db.prepare('UPDATE accounts SET available_minor = available_minor + ? WHERE card_id = ?');

  return {
    seed(cards) {
      let created = 0;
      for (const { id, pan, account } of cards) {
        const limit = account.type === 'credit' ? account.creditLimitMinor : null;
        const posted = account.type === 'debit' ? account.balanceMinor : 0;
        const available = account.type === 'debit' ? account.balanceMinor : account.creditLimitMinor;
        created += Number(insert.run(id, maskPan(pan), account.type, account.currency, limit, posted, available).changes);
      }
      return created;
    },
    availableMinor(cardId) {
      return (selectAvailable.get(cardId) as { available_minor: number } | undefined)?.available_minor;
    },
    balances(cardId) {
      const row = selectBalances.get(cardId) as BalanceRow | undefined;
      if (row === undefined) return undefined;
      return { accountType: row.account_type, currency: row.currency, postedMinor: row.posted_minor, availableMinor: row.available_minor };
    },
    spend(cardId, amountMinor) {
      return Number(spend.run(amountMinor, cardId).changes) === 1;
    },
    adjustAvailable(cardId, deltaMinor) {
      if (Number(adjust.run(deltaMinor, cardId).changes) !== 1) throw new Error(`no ledger account ${cardId}`);
    },
  };
}
