/**
 * The journal's schema as numbered migrations, applied in order and recorded in PRAGMA user_version.
 * The journal may already exist on a merchant's PC, so a schema change is always a forward migration
 * of the file, never a new file.
 *
 * Version 1 is the first station's schema word for word with IF NOT EXISTS. That station never set
 * user_version, so a fresh file and a v1 file both start at 0: version 1 creates the tables only
 * where they are missing, and version 2 carries either forward.
 *
 * Version 2 (profile v2: refunds, balance inquiries, reversals, voids, batches, store-and-forward):
 *  - transactions gains the kinds refund/balance_inquiry/reversal, the statuses reversal_pending/
 *    reversed/voided, the batch, links to the original (id, RRN), the reversal reason, and what a
 *    reversal or batch upload must repeat of the request (DE3, DE12, DE13, DE42). SQLite cannot
 *    change a CHECK constraint, so the table is rebuilt. v1 rows keep their ids; they belong to no
 *    batch (the host carries v1 postings over as already settled), their DE12/DE13 are rebuilt from
 *    created_at in local time (which is how v1 set them) and DE42 is left unknown.
 *  - batches: the open batch (000001 on first start) and the closed ones with their reports.
 *  - saf_queue: messages the station must deliver (reversals), until the host answers.
 *  - pan_vault: the PAN, encrypted, of a transaction a reversal or batch upload still needs.
 *
 * Version 3 (the sale redesign): sales, their lines and tenders; transactions become card legs of a
 * tender; shifts, cash movements, approvals and kept totals. Schema in schema-v3.ts, the carry-over
 * of v2 payments into sales in migrate-legacy-sales.ts.
 *
 * Version 4: the head office's outbox (main/head-office/sqlite-outbox.ts, OUTBOX_SCHEMA_SQL), in the
 * journal's file so an event commits with the change it records (docs/head-office.md).
 *
 * Version 5 (profile v4): the PAN vault goes. Reversals and batch uploads carry no card any more
 * (the host finds the original by DE41 + DE90, an upload by DE37), so nothing needs a PAN after its
 * authorization; the table is dropped (secure_delete zeroes its pages) and the station deletes the
 * vault's key file at start (main/journal/retired-vault-key.ts), which makes any copy of the sealed
 * PANs, in an old backup say, unreadable for good.
 *
 * Version 6: card_leg_chip, what a chip or contactless leg keeps (chip-records.ts): AID, label, TVR,
 * TSI, AC type, CVM, whitelisted ICC tags and issuer script results.
 * Version 7 (QR tenders, issue #10): qr_legs, each wallet request of a QR tender written ahead of
 * its sending (payments, refunds), and tenders.qr, the paid tender's wallet summary (JSON of
 * TenderQr: wallet, order number, transaction id, masked payer). Docs: docs/tender-flows.md.
 */
import type { DatabaseSync } from 'node:sqlite';
import { migrate, type Migration } from '../../common-node/sqlite-migrations.ts';
import { OUTBOX_SCHEMA_SQL } from '../head-office/sqlite-outbox.ts';
import { CHIP_RECORDS_SCHEMA_SQL } from './chip-records.ts';
import { migrateLegacySales } from './migrate-legacy-sales.ts';

const MASKED_PAN_CHECK = "masked_pan GLOB '[0-9]*[*]*[0-9]' OR masked_pan GLOB '[*]*'";

const V1_BASELINE = `
  CREATE TABLE IF NOT EXISTS transactions (
    id            INTEGER PRIMARY KEY,
    payment_id    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('purchase')),
    amount_minor  INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency      TEXT NOT NULL,
    masked_pan    TEXT NOT NULL CHECK (${MASKED_PAN_CHECK}),
    scheme        TEXT NOT NULL,
    entry_mode    TEXT NOT NULL,
    terminal_id   TEXT NOT NULL,
    stan          TEXT NOT NULL,
    transmitted_at TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'failed')),
    response_code TEXT,
    approval_code TEXT,
    rrn           TEXT
  );
  CREATE INDEX IF NOT EXISTS transactions_status ON transactions (status);
  CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

const V2_REVERSALS_REFUNDS_BATCHES = `
  CREATE TABLE batches (
    id           INTEGER PRIMARY KEY,
    -- DE60. Numbers wrap (999999 → 000001), so rows are told apart by id.
    batch_number TEXT NOT NULL CHECK (batch_number GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]'),
    status       TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    opened_at    TEXT NOT NULL,
    closed_at    TEXT,
    settlement   TEXT CHECK (settlement IN ('in_balance', 'in_balance_after_upload')),
    -- The batch report as it stood at the close (JSON); a closed batch never changes.
    report       TEXT,
    CHECK ((status = 'closed') = (closed_at IS NOT NULL AND settlement IS NOT NULL AND report IS NOT NULL))
  );
  CREATE UNIQUE INDEX batches_one_open ON batches (status) WHERE status = 'open';
  INSERT INTO batches (batch_number, status, opened_at) VALUES ('000001', 'open', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

  CREATE TABLE transactions_v2 (
    id              INTEGER PRIMARY KEY,
    payment_id      TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('purchase', 'refund', 'balance_inquiry', 'reversal')),
    amount_minor    INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency        TEXT NOT NULL,
    masked_pan      TEXT NOT NULL CHECK (${MASKED_PAN_CHECK}),
    scheme          TEXT NOT NULL,
    entry_mode      TEXT NOT NULL,
    terminal_id     TEXT NOT NULL,
    -- DE42 as sent; NULL for v1 rows, which did not keep it.
    merchant_id     TEXT,
    processing_code TEXT NOT NULL,
    -- A reversal shares its original's STAN (DE11).
    stan            TEXT NOT NULL,
    -- DE7 as sent (MMDDhhmmss UTC); a reversal's is that of its latest attempt.
    transmitted_at  TEXT NOT NULL,
    -- DE12 hhmmss and DE13 MMDD as sent, in the station's local time.
    local_time      TEXT NOT NULL,
    local_date      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'failed', 'reversal_pending', 'reversed', 'voided')),
    response_code   TEXT,
    approval_code   TEXT,
    rrn             TEXT,
    batch_id        INTEGER REFERENCES batches (id),
    original_id     INTEGER REFERENCES transactions (id),
    original_rrn    TEXT,
    reversal_reason TEXT CHECK (reversal_reason IN ('17', '68')),
    CHECK ((kind = 'reversal') = (reversal_reason IS NOT NULL)),
    CHECK ((kind IN ('refund', 'reversal')) = (original_id IS NOT NULL)),
    CHECK ((kind = 'refund') = (original_rrn IS NOT NULL))
  );
  INSERT INTO transactions_v2 (id, payment_id, created_at, updated_at, kind, amount_minor, currency, masked_pan, scheme, entry_mode,
                               terminal_id, merchant_id, processing_code, stan, transmitted_at, local_time, local_date, status,
                               response_code, approval_code, rrn)
    SELECT id, payment_id, created_at, updated_at, kind, amount_minor, currency, masked_pan, scheme, entry_mode,
           terminal_id, NULL, '000000', stan, transmitted_at,
           strftime('%H%M%S', created_at, 'localtime'), strftime('%m%d', created_at, 'localtime'), status,
           response_code, approval_code, rrn
    FROM transactions ORDER BY id;
  DROP TABLE transactions;
  ALTER TABLE transactions_v2 RENAME TO transactions;
  CREATE INDEX transactions_status ON transactions (status);
  CREATE INDEX transactions_rrn ON transactions (rrn);
  CREATE INDEX transactions_batch ON transactions (batch_id, status);
  CREATE INDEX transactions_original ON transactions (original_id);

  CREATE TABLE saf_queue (
    id              INTEGER PRIMARY KEY,
    -- The journal row of the message (a reversal row); its outcome is recorded there.
    transaction_id  INTEGER NOT NULL UNIQUE REFERENCES transactions (id),
    mti             TEXT NOT NULL,
    -- Text fields as JSON, without DE2 (from pan_vault at send time) and DE7 (set per transmission).
    fields          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    queued_at       TEXT NOT NULL,
    last_attempt_at TEXT
  );

  CREATE TABLE pan_vault (
    transaction_id INTEGER PRIMARY KEY REFERENCES transactions (id),
    -- AES-256-GCM: 12-byte IV, 16-byte tag, then the ciphertext. The key is not in this file.
    sealed         BLOB NOT NULL
  );
`;

const V5_NO_PAN_VAULT = 'DROP TABLE pan_vault;';

const V7_QR_LEGS = `
  ALTER TABLE tenders ADD COLUMN qr TEXT CHECK (qr IS NULL OR json_valid(qr));
  CREATE TABLE qr_legs (
    -- The station's number at the wallet: out_trade_no of a payment, out_refund_no of a refund.
    number         TEXT PRIMARY KEY,
    tender_id      INTEGER NOT NULL REFERENCES tenders (id),
    kind           TEXT NOT NULL CHECK (kind IN ('micropay', 'native', 'refund')),
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    currency       TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('started', 'pending', 'paid', 'failed', 'closed', 'reversing', 'reversed', 'refunded')),
    transaction_id TEXT,
    -- As the wallet masks it; never more of the payer.
    payer_account  TEXT,
    reason         TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
  ) STRICT;
  CREATE INDEX qr_legs_tender ON qr_legs (tender_id);
  CREATE INDEX qr_legs_unfinished ON qr_legs (state) WHERE state IN ('started', 'pending', 'reversing');
`;

const MIGRATIONS: readonly Migration[] = [V1_BASELINE, V2_REVERSALS_REFUNDS_BATCHES, migrateLegacySales, OUTBOX_SCHEMA_SQL, V5_NO_PAN_VAULT, CHIP_RECORDS_SCHEMA_SQL, V7_QR_LEGS];

export const JOURNAL_SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the file to JOURNAL_SCHEMA_VERSION. Refuses a newer file. */
export function migrateJournal(db: DatabaseSync): void {
  migrate(db, { name: 'journal', owner: 'this station', migrations: MIGRATIONS });
}
