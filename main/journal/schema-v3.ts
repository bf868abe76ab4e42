/**
 * Journal version 3: the sale becomes the record. The v2 `transactions` table (one row per ISO 8583
 * request) becomes `card_legs`, each a leg of a card tender of a sale (a balance inquiry's belongs to
 * none); `payment_id` goes (a leg is named by its tender and attempt), `mti` and `attempt` come.
 * The PAN vault and the store-and-forward queue follow the rename (`leg_id`).
 *
 * New: sales and their lines, tenders, shifts, cash movements, supervisor approvals, the
 * incrementally kept totals that make end-of-day reports O(1), and the outbox of domain events.
 * migrate-legacy-sales.ts fills them from a v2 file.
 */

const MASKED_PAN_CHECK = "masked_pan GLOB '[0-9]*[*]*[0-9]' OR masked_pan GLOB '[*]*'";

export const V3_TABLES = `
  CREATE TABLE shifts (
    id            INTEGER PRIMARY KEY,
    station_id    TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    opened_by     TEXT NOT NULL,
    opened_at     TEXT NOT NULL,
    float_minor   INTEGER NOT NULL CHECK (float_minor >= 0),
    currency      TEXT NOT NULL,
    closed_by     TEXT,
    closed_at     TEXT,
    -- The blind count, and what the station expected: over/short is their difference.
    counted_minor INTEGER,
    expected_minor INTEGER,
    -- The Z report as printed at the close (JSON); a closed shift never changes.
    z_report      TEXT,
    CHECK ((status = 'closed') = (closed_at IS NOT NULL AND counted_minor IS NOT NULL AND z_report IS NOT NULL))
  );
  CREATE UNIQUE INDEX shifts_one_open ON shifts (status) WHERE status = 'open';

  CREATE TABLE sales (
    id             TEXT PRIMARY KEY CHECK (length(id) = 36),
    station_id     TEXT NOT NULL,
    receipt_number TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open', 'tendering', 'paid', 'voided', 'partly_refunded', 'refunded', 'cancelled')),
    currency       TEXT NOT NULL,
    opened_at      TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    paid_at        TEXT,
    cashier_id     TEXT,
    shift_id       INTEGER REFERENCES shifts (id),
    -- JSON {kind: 'amount', amountMinor} | {kind: 'percent', basisPoints}
    sale_discount  TEXT,
    subtotal_minor INTEGER NOT NULL,
    discount_minor INTEGER NOT NULL,
    total_minor    INTEGER NOT NULL CHECK (total_minor >= 0),
    vat_minor      INTEGER NOT NULL,
    paid_minor     INTEGER NOT NULL,
    refunded_minor INTEGER NOT NULL,
    -- 1: carried over from a v2 journal (one card payment, no lines, no VAT recorded).
    legacy         INTEGER NOT NULL DEFAULT 0 CHECK (legacy IN (0, 1))
  ) WITHOUT ROWID;
  -- The till's current sale (at most one is open or tendering at a time, by the service's rule).
  CREATE INDEX sales_current ON sales (status) WHERE status IN ('open', 'tendering');

  CREATE TABLE sale_lines (
    sale_id          TEXT NOT NULL REFERENCES sales (id),
    line_no          INTEGER NOT NULL,
    sku              TEXT NOT NULL,
    name_zh          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
    catalog_unit_price_minor INTEGER,
    line_discount    TEXT,
    vat_rate_bp      INTEGER NOT NULL CHECK (vat_rate_bp IN (0, 600, 900, 1300)),
    gross_minor      INTEGER NOT NULL,
    line_discount_minor INTEGER NOT NULL,
    sale_discount_minor INTEGER NOT NULL,
    amount_minor     INTEGER NOT NULL CHECK (amount_minor >= 0),
    vat_minor        INTEGER NOT NULL,
    PRIMARY KEY (sale_id, line_no)
  ) WITHOUT ROWID;

  CREATE TABLE tenders (
    id             INTEGER PRIMARY KEY,
    sale_id        TEXT NOT NULL REFERENCES sales (id),
    type           TEXT NOT NULL CHECK (type IN ('card', 'cash', 'qr')),
    entry_mode     TEXT CHECK (entry_mode IN ('magstripe', 'chip', 'contactless', 'qr', 'cash')),
    state          TEXT NOT NULL CHECK (state IN ('in_progress', 'approved', 'declined', 'failed', 'cancelled', 'void_pending', 'voided')),
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    received_minor INTEGER,
    change_minor   INTEGER,
    refunded_minor INTEGER NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
    -- A card tender's summary: the approved leg's (or the last one's) card and references.
    masked_pan     TEXT CHECK (masked_pan IS NULL OR ${MASKED_PAN_CHECK}),
    scheme         TEXT,
    approval_code  TEXT,
    rrn            TEXT,
    stan           TEXT,
    response_code  TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK ((type = 'cash') = (received_minor IS NOT NULL))
  );
  CREATE INDEX tenders_sale ON tenders (sale_id);
  CREATE INDEX tenders_current ON tenders (state) WHERE state IN ('in_progress', 'void_pending');

  CREATE TABLE card_legs (
    id              INTEGER PRIMARY KEY,
    -- NULL only for a balance inquiry, which is no sale's.
    tender_id       INTEGER REFERENCES tenders (id),
    attempt         INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('purchase', 'refund', 'balance_inquiry', 'reversal')),
    mti             TEXT NOT NULL CHECK (mti GLOB '[0-9][0-9][0-9][0-9]'),
    amount_minor    INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency        TEXT NOT NULL,
    masked_pan      TEXT NOT NULL CHECK (${MASKED_PAN_CHECK}),
    scheme          TEXT NOT NULL,
    entry_mode      TEXT NOT NULL,
    terminal_id     TEXT NOT NULL,
    merchant_id     TEXT,
    processing_code TEXT NOT NULL,
    stan            TEXT NOT NULL,
    transmitted_at  TEXT NOT NULL,
    local_time      TEXT NOT NULL,
    local_date      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'failed', 'reversal_pending', 'reversed', 'voided')),
    response_code   TEXT,
    approval_code   TEXT,
    rrn             TEXT,
    batch_id        INTEGER REFERENCES batches (id),
    original_id     INTEGER REFERENCES card_legs (id),
    original_rrn    TEXT,
    reversal_reason TEXT CHECK (reversal_reason IN ('17', '68')),
    CHECK ((kind = 'reversal') = (reversal_reason IS NOT NULL)),
    CHECK ((kind IN ('refund', 'reversal')) = (original_id IS NOT NULL)),
    CHECK ((kind = 'refund') = (original_rrn IS NOT NULL)),
    CHECK ((kind = 'balance_inquiry') = (tender_id IS NULL))
  );
  CREATE INDEX card_legs_tender ON card_legs (tender_id);
  CREATE INDEX card_legs_rrn ON card_legs (rrn) WHERE rrn IS NOT NULL;
  CREATE INDEX card_legs_original ON card_legs (original_id) WHERE original_id IS NOT NULL;
  -- Settlement's batch upload walks a batch's approved purchases and refunds, and nothing else; the
  -- index also covers their totals (kind, scheme, amount), so checking the kept totals against the
  -- legs (bench/station.bench.ts, a support query) reads the index alone.
  CREATE INDEX card_legs_upload ON card_legs (batch_id, id, kind, scheme, amount_minor) WHERE status = 'approved' AND kind IN ('purchase', 'refund');
  CREATE INDEX card_legs_unfinished ON card_legs (status) WHERE status IN ('pending', 'reversal_pending');

  CREATE TABLE cash_movements (
    id          INTEGER PRIMARY KEY,
    shift_id    INTEGER NOT NULL REFERENCES shifts (id),
    kind        TEXT NOT NULL CHECK (kind IN ('paid_in', 'paid_out', 'no_sale')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    reason      TEXT NOT NULL,
    operator_id TEXT NOT NULL,
    at          TEXT NOT NULL
  );

  CREATE TABLE approvals (
    id           INTEGER PRIMARY KEY,
    action       TEXT NOT NULL CHECK (action IN ('refund', 'void', 'price_override', 'no_sale', 'settlement')),
    -- What was approved: a sale id, "sale/line", a batch number.
    subject      TEXT NOT NULL,
    requested_by TEXT,
    approved_by  TEXT NOT NULL,
    at           TEXT NOT NULL,
    detail       TEXT NOT NULL
  );

  -- Incrementally kept totals: a report reads a handful of rows, whatever the journal's size.
  -- scope 'batch' (card settlement) or 'shift' (X/Z); metric and key say what is counted.
  CREATE TABLE totals (
    scope        TEXT NOT NULL CHECK (scope IN ('batch', 'shift')),
    scope_id     INTEGER NOT NULL,
    metric       TEXT NOT NULL,
    key          TEXT NOT NULL,
    count        INTEGER NOT NULL,
    amount_minor INTEGER NOT NULL,
    -- A second amount where the metric has one (VAT of the amount).
    extra_minor  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, scope_id, metric, key)
  ) WITHOUT ROWID;
`;

/** The queue and the vault rebuilt to reference card_legs (their rows keep their ids). */
export const V3_REFERENCES = `
  CREATE TABLE saf_queue_v3 (
    id              INTEGER PRIMARY KEY,
    leg_id          INTEGER NOT NULL UNIQUE REFERENCES card_legs (id),
    mti             TEXT NOT NULL,
    fields          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    queued_at       TEXT NOT NULL,
    last_attempt_at TEXT
  );
  INSERT INTO saf_queue_v3 SELECT id, transaction_id, mti, fields, attempts, queued_at, last_attempt_at FROM saf_queue;
  DROP TABLE saf_queue;
  ALTER TABLE saf_queue_v3 RENAME TO saf_queue;

  CREATE TABLE pan_vault_v3 (
    leg_id INTEGER PRIMARY KEY REFERENCES card_legs (id),
    sealed BLOB NOT NULL
  );
  INSERT INTO pan_vault_v3 SELECT transaction_id, sealed FROM pan_vault;
  DROP TABLE pan_vault;
  ALTER TABLE pan_vault_v3 RENAME TO pan_vault;
`;
