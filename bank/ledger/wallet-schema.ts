/**
 * Ledger schema version 3: the wallet platform's tables (bank/wallet/), beside the card accounts in
 * the same file, so a wallet payment and its notification commit in one fsynced unit like a card
 * approval. Wallets are keyed by the wallet deck's id; the payment password is kept only as a
 * salted scrypt hash (bank/wallet/password-hash.ts).
 */
export const V3_WALLET_PLATFORM = `
  CREATE TABLE wallet_accounts (
    wallet_id TEXT PRIMARY KEY,
    -- The platform's user number (16 digits) and the masked login the merchant sees ("138****0001").
    user_id TEXT NOT NULL UNIQUE,
    masked_account TEXT NOT NULL,
    currency TEXT NOT NULL,
    balance_minor INTEGER NOT NULL CHECK (balance_minor >= 0),
    -- scrypt$N$r$p$salt$hash, base64 parts.
    password_hash TEXT NOT NULL,
    -- Payments above this ask for the password; NULL: never.
    password_above_minor INTEGER,
    status TEXT NOT NULL CHECK (status IN ('active', 'frozen'))
  ) STRICT;

  CREATE TABLE wallet_orders (
    id INTEGER PRIMARY KEY,
    mchid TEXT NOT NULL,
    out_trade_no TEXT NOT NULL,
    trade_type TEXT NOT NULL CHECK (trade_type IN ('NATIVE', 'MICROPAY')),
    -- Merchant-presented orders: the code the EMVCo payload carries (template 26.02).
    order_code TEXT UNIQUE,
    -- The first request's content: a repeat with the same number must match it (idempotency).
    request_digest TEXT NOT NULL,
    description TEXT NOT NULL,
    -- 0 only for the tombstone a reversal leaves when the order it names never arrived.
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency TEXT NOT NULL,
    terminal_id TEXT,
    notify_url TEXT,
    state TEXT NOT NULL CHECK (state IN ('NOTPAY', 'USERPAYING', 'SUCCESS', 'REFUND', 'CLOSED', 'REVOKED', 'PAYERROR')),
    -- Why: the error code that failed it, or what closed or reversed it.
    state_reason TEXT,
    wallet_id TEXT REFERENCES wallet_accounts (wallet_id),
    transaction_id TEXT UNIQUE,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER,
    -- USERPAYING: when the payer was asked to confirm; wrong passwords so far.
    pending_since_ms INTEGER,
    password_failures INTEGER NOT NULL DEFAULT 0,
    paid_at_ms INTEGER,
    ended_at_ms INTEGER,
    refunded_minor INTEGER NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
    UNIQUE (mchid, out_trade_no)
  ) STRICT;
  CREATE INDEX wallet_orders_pending ON wallet_orders (wallet_id, state) WHERE state = 'USERPAYING';

  -- Every movement of a wallet's money: payment (negative), refund and reversal (positive).
  CREATE TABLE wallet_postings (
    id INTEGER PRIMARY KEY,
    wallet_id TEXT NOT NULL REFERENCES wallet_accounts (wallet_id),
    order_id INTEGER NOT NULL REFERENCES wallet_orders (id),
    kind TEXT NOT NULL CHECK (kind IN ('payment', 'refund', 'reversal')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
    at_ms INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE wallet_refunds (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES wallet_orders (id),
    mchid TEXT NOT NULL,
    out_refund_no TEXT NOT NULL,
    refund_id TEXT NOT NULL UNIQUE,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    reason TEXT,
    at_ms INTEGER NOT NULL,
    UNIQUE (mchid, out_refund_no)
  ) STRICT;

  -- Customer-presented payment codes: single use, short-lived. The serial (the rowid) is part of
  -- the code, so issuing appends and a lookup is by rowid: no random-key index to write per payment.
  CREATE TABLE wallet_payment_codes (
    serial INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    wallet_id TEXT NOT NULL REFERENCES wallet_accounts (wallet_id),
    issued_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    used_by_order_id INTEGER REFERENCES wallet_orders (id)
  ) STRICT;
  CREATE INDEX wallet_payment_codes_by_expiry ON wallet_payment_codes (expires_at_ms);

  -- Nonces of signed requests inside the replay window, per signer. A replay repeats the signed
  -- timestamp too, so the key leads with it: inserts land at the end of the tree, not at random.
  CREATE TABLE wallet_nonces (
    timestamp INTEGER NOT NULL,
    principal TEXT NOT NULL,
    nonce TEXT NOT NULL,
    PRIMARY KEY (timestamp, principal, nonce)
  ) STRICT, WITHOUT ROWID;

  -- Payment notifications to merchants, written with the payment and retried until acknowledged.
  CREATE TABLE wallet_notifications (
    id INTEGER PRIMARY KEY,
    notification_id TEXT NOT NULL UNIQUE,
    order_id INTEGER NOT NULL REFERENCES wallet_orders (id),
    notify_url TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms INTEGER NOT NULL,
    delivered_at_ms INTEGER,
    gave_up_at_ms INTEGER,
    last_error TEXT
  ) STRICT;
  CREATE INDEX wallet_notifications_due ON wallet_notifications (next_attempt_at_ms) WHERE delivered_at_ms IS NULL AND gave_up_at_ms IS NULL;

  INSERT INTO sequences (name, value) VALUES ('wallet_transaction', 0), ('wallet_refund', 0) ON CONFLICT (name) DO NOTHING;
`;
