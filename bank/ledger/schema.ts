/**
 * The ledger's schema as numbered migrations, applied in order and recorded in PRAGMA user_version.
 *
 * Version 1 is the v1 host's schema word for word with IF NOT EXISTS, and v1 never set
 * user_version: a fresh file and a v1 file both start at 0, version 1 creates the tables only where
 * they are missing, and version 2 carries either forward. Each migration runs in one transaction,
 * so a crash mid-way leaves the file at the previous version.
 *
 * Version 2 (profile v2: holds, refunds, reversals, batches, duplicate detection):
 *  - accounts gains posted_minor and loses v1's CHECK (available_minor >= 0): a reversed refund the
 *    cardholder already spent, or a posting a settlement forces, may take an account below zero.
 *    SQLite cannot drop a constraint, so the table is rebuilt (its documented 12-step procedure;
 *    foreign keys are off while migrations run).
 *  - postings becomes transactions: v1 postings were final debits, so they arrive as posted
 *    purchases outside any batch, and the accounts' posted balances start from their available ones.
 *
 * Version 3: the wallet platform's accounts, orders, postings, refunds, payment codes, nonces and
 * notification outbox (wallet-schema.ts).
 *
 * Version 4 (profile v4): staged batch uploads lose their card (card_id, masked_pan); an upload is
 * matched to the host's transaction by RRN, and takes its card from there.
 */
import type { DatabaseSync } from 'node:sqlite';
import { migrate } from '../../common-node/sqlite-migrations.ts';
import { V3_WALLET_PLATFORM } from './wallet-schema.ts';

const V1_BASELINE = `
  CREATE TABLE IF NOT EXISTS accounts (
    card_id TEXT PRIMARY KEY,
    masked_pan TEXT NOT NULL,
    account_type TEXT NOT NULL CHECK (account_type IN ('debit', 'credit')),
    currency TEXT NOT NULL,
    credit_limit_minor INTEGER,
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

const V2_HOLDS_BATCHES_REVERSALS = `
  CREATE TABLE accounts_v2 (
    card_id TEXT PRIMARY KEY,
    masked_pan TEXT NOT NULL,
    account_type TEXT NOT NULL CHECK (account_type IN ('debit', 'credit')),
    currency TEXT NOT NULL,
    credit_limit_minor INTEGER,
    -- Settled money only. Debit: the ledger balance. Credit: the amount owed (below zero when in credit).
    posted_minor INTEGER NOT NULL,
    -- What the card may spend now: the posted position less held purchases plus pending refunds.
    available_minor INTEGER NOT NULL
  ) STRICT;
  INSERT INTO accounts_v2 (card_id, masked_pan, account_type, currency, credit_limit_minor, posted_minor, available_minor)
    SELECT card_id, masked_pan, account_type, currency, credit_limit_minor,
           CASE account_type WHEN 'debit' THEN available_minor ELSE credit_limit_minor - available_minor END,
           available_minor
    FROM accounts;
  DROP TABLE accounts;
  ALTER TABLE accounts_v2 RENAME TO accounts;

  -- A terminal's batch: transactions approved since its last settlement. The host opens one on the
  -- terminal's first approval after a close; the terminal names it (DE60) only when it settles.
  CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    tid TEXT NOT NULL,
    batch_number TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    opened_at TEXT NOT NULL,
    -- The largest transaction id when the batch opened: all of its transactions come after it, so
    -- finding them is a range scan of the transactions' rowids, with no index on batch_id to keep.
    opened_after_transaction_id INTEGER NOT NULL,
    closed_at TEXT,
    -- The totals the batch closed with: what was settled.
    credits_count INTEGER,
    credits_minor INTEGER,
    debits_count INTEGER,
    debits_minor INTEGER
  ) STRICT;
  CREATE UNIQUE INDEX batches_one_open_per_terminal ON batches (tid) WHERE status = 'open';
  CREATE INDEX batches_by_terminal ON batches (tid, id);

  -- Approved purchases and refunds. state: pending = in an open batch (a purchase's hold, a refund's
  -- credit already available); posted = settled; reversed = undone by a 0400 or by a settlement.
  CREATE TABLE transactions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('purchase', 'refund')),
    rrn TEXT NOT NULL UNIQUE,
    approval_code TEXT NOT NULL,
    card_id TEXT NOT NULL REFERENCES accounts (card_id),
    masked_pan TEXT NOT NULL,
    tid TEXT NOT NULL,
    stan TEXT NOT NULL,
    -- DE7 of the request, MMDDhhmmss; with tid and stan it is what a reversal's DE90 names.
    transmission_date_time TEXT,
    merchant_id TEXT,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    original_id INTEGER REFERENCES transactions (id),
    -- Purchases: the sum of their approved, not reversed refunds.
    refunded_minor INTEGER NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
    batch_id INTEGER REFERENCES batches (id),
    state TEXT NOT NULL CHECK (state IN ('pending', 'posted', 'reversed')),
    reversed_at TEXT,
    -- The 0400's DE39 ('17' void, '68' timeout, ...), or why a settlement reversed it.
    reversal_reason TEXT
  ) STRICT;
  -- Leading with DE7 keeps inserts near the end of the index: a group of requests from 64 terminals
  -- dirties a few pages instead of one per terminal (this index is written on every approval).
  CREATE INDEX transactions_by_request ON transactions (transmission_date_time, stan, tid);
  INSERT INTO transactions (kind, rrn, approval_code, card_id, masked_pan, tid, stan, amount_minor, currency, approved_at, state)
    SELECT 'purchase', rrn, approval_code, card_id, masked_pan, tid, stan, amount_minor, currency, posted_at, 'posted'
    FROM postings ORDER BY id;
  DROP TABLE postings;

  -- 0320 batch uploads waiting for the 0500 960000 that adopts them.
  CREATE TABLE batch_uploads (
    tid TEXT NOT NULL,
    batch_number TEXT NOT NULL,
    rrn TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('purchase', 'refund')),
    card_id TEXT NOT NULL REFERENCES accounts (card_id),
    masked_pan TEXT NOT NULL,
    stan TEXT NOT NULL,
    merchant_id TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    approval_code TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (tid, batch_number, rrn)
  ) STRICT, WITHOUT ROWID;

  -- Requests answered within the duplicate window, keyed by DE7 + DE11 + DE41 + MTI class: DE7
  -- first, for the same reason as transactions_by_request.
  CREATE TABLE recent_requests (
    request_key TEXT PRIMARY KEY,
    answered_at_ms INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX recent_requests_by_time ON recent_requests (answered_at_ms);
`;

// Profile v4: a 0320 carries no card, so a staged upload has none either; the 960000 finds the
// card on the host's own transaction by RRN. Staged rows keep everything else.
const V4_UPLOADS_WITHOUT_CARD = `
  CREATE TABLE batch_uploads_v4 (
    tid TEXT NOT NULL,
    batch_number TEXT NOT NULL,
    rrn TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('purchase', 'refund')),
    stan TEXT NOT NULL,
    merchant_id TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    approval_code TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (tid, batch_number, rrn)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO batch_uploads_v4 (tid, batch_number, rrn, kind, stan, merchant_id, amount_minor, currency, approval_code, uploaded_at)
    SELECT tid, batch_number, rrn, kind, stan, merchant_id, amount_minor, currency, approval_code, uploaded_at FROM batch_uploads;
  DROP TABLE batch_uploads;
  ALTER TABLE batch_uploads_v4 RENAME TO batch_uploads;
`;

/** In order: migration n brings a file to version n (exported so a test can build a file of an older version). */
export const LEDGER_MIGRATIONS: readonly string[] = [V1_BASELINE, V2_HOLDS_BATCHES_REVERSALS, V3_WALLET_PLATFORM, V4_UPLOADS_WITHOUT_CARD];

export const LEDGER_SCHEMA_VERSION = LEDGER_MIGRATIONS.length;

/** Brings the file to LEDGER_SCHEMA_VERSION. Refuses a newer file. */
export function migrateLedger(db: DatabaseSync): void {
  migrate(db, { name: 'ledger', owner: 'this host', migrations: LEDGER_MIGRATIONS });
}
