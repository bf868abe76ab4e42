/**
 * The issuer's ledger in SQLite (node:sqlite): one account per deck card and one posting per
 * approved purchase. Accounts are keyed by the deck's card id and postings carry only the masked
 * PAN, so the database never holds a full PAN (PCI DSS 3.4), nor any track, PIN or PIN block data.
 *
 * Accounts are seeded from the deck when first seen and never overwritten, so balances survive a
 * restart. Each authorization's reads and writes happen in one IMMEDIATE transaction.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { maskPan } from '../../common/card/pan.ts';
import type { TestDeckCard } from '../../common/test-deck.ts';

export const LEDGER_FILE_NAME = 'ledger.sqlite';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS accounts (
    card_id TEXT PRIMARY KEY,
    masked_pan TEXT NOT NULL,
    account_type TEXT NOT NULL CHECK (account_type IN ('debit', 'credit')),
    currency TEXT NOT NULL,
    -- Credit accounts only; available_minor is what is left of it.
    credit_limit_minor INTEGER,
    -- Debit: the balance. Credit: the limit minus what has been spent.
    available_minor INTEGER NOT NULL CHECK (available_minor >= 0)
  ) STRICT;
  CREATE TABLE IF NOT EXISTS postings (
    id INTEGER PRIMARY KEY,
    rrn TEXT NOT NULL UNIQUE,
    approval_code TEXT NOT NULL,
    card_id TEXT NOT NULL REFERENCES accounts (card_id),
    masked_pan TEXT NOT NULL,
    stan TEXT NOT NULL,
    tid TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    posted_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS sequences (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) STRICT;
  INSERT INTO sequences (name, value) VALUES ('rrn', 0) ON CONFLICT (name) DO NOTHING;
`;

export interface PurchasePosting {
  readonly cardId: string;
  readonly maskedPan: string;
  readonly stan: string;
  readonly tid: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly approvalCode: string;
  readonly postedAt: Date;
  /** Formats the retrieval reference number from the ledger's next sequence value. */
  rrnFor(sequence: number): string;
}

export type PostingResult = { readonly ok: true; readonly rrn: string } | { readonly ok: false; readonly reason: 'insufficient_funds' | 'no_account' };

export interface Ledger {
  readonly path: string;
  /** Creates accounts for cards not yet in the ledger; returns how many were created. */
  seedAccounts(cards: readonly TestDeckCard[]): number;
  availableMinor(cardId: string): number | undefined;
  /** Debits the account and records the posting, or changes nothing. */
  postPurchase(posting: PurchasePosting): PostingResult;
  close(): void;
}

export function openLedger(dataDir: string): Ledger {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LEDGER_FILE_NAME);
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  db.exec(SCHEMA);

  const insertAccount = db.prepare(`
    INSERT INTO accounts (card_id, masked_pan, account_type, currency, credit_limit_minor, available_minor)
    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (card_id) DO NOTHING`);
  const selectAvailable = db.prepare('SELECT available_minor FROM accounts WHERE card_id = ?');
  const debit = db.prepare('UPDATE accounts SET available_minor = available_minor - ? WHERE card_id = ? AND available_minor >= ?');
  const nextRrnSequence = db.prepare("UPDATE sequences SET value = value + 1 WHERE name = 'rrn' RETURNING value");
  const insertPosting = db.prepare(`
    INSERT INTO postings (rrn, approval_code, card_id, masked_pan, stan, tid, amount_minor, currency, posted_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  function inTransaction<T>(work: () => T): T {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }

  return {
    path,
    seedAccounts(cards) {
      return inTransaction(() => {
        let created = 0;
        for (const { id, pan, account } of cards) {
          const available = account.type === 'debit' ? account.balanceMinor : account.creditLimitMinor;
          const limit = account.type === 'credit' ? account.creditLimitMinor : null;
          created += Number(insertAccount.run(id, maskPan(pan), account.type, account.currency, limit, available).changes);
        }
        return created;
      });
    },
    availableMinor(cardId) {
      const row = selectAvailable.get(cardId) as { available_minor: number } | undefined;
      return row?.available_minor;
    },
    postPurchase(posting) {
      return inTransaction<PostingResult>(() => {
        if (selectAvailable.get(posting.cardId) === undefined) return { ok: false, reason: 'no_account' };
        const debited = debit.run(posting.amountMinor, posting.cardId, posting.amountMinor).changes;
        if (Number(debited) === 0) return { ok: false, reason: 'insufficient_funds' };
        const { value } = nextRrnSequence.get() as { value: number };
        const rrn = posting.rrnFor(value);
        insertPosting.run(rrn, posting.approvalCode, posting.cardId, posting.maskedPan, posting.stan, posting.tid, posting.amountMinor, posting.currency, posting.postedAt.toISOString());
        return { ok: true, rrn };
      });
    },
    close() {
      db.close();
    },
  };
}
