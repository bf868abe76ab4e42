-- The head office's first schema: roles, shops and stations, the event log, the projections the
-- reports read, and the maintained daily rollups. Station-scoped tables have FORCE ROW LEVEL
-- SECURITY: the ingest role sees and writes only the rows of the station its transaction was
-- authenticated as (hq_station(), set per transaction), and the office role reads all of them.

-- Roles are cluster-wide: another head-office database on the same server, or an administrator
-- (a managed server whose login may not create roles), may have made and granted them already.
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['hq_ingest', 'hq_office'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN NOBYPASSRLS', role_name);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- made meanwhile by another migration
      END;
    END IF;
    -- The service's login switches to hq_ingest for each station's transaction (SET LOCAL ROLE).
    IF NOT pg_has_role(current_user, role_name, 'MEMBER') THEN
      EXECUTE format('GRANT %I TO %I', role_name, current_user);
    END IF;
  END LOOP;
END $$;

-- The station the current transaction was authenticated as; NULL outside an ingest transaction.
CREATE FUNCTION hq_station() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('hq.station_id', true), '') $$;

CREATE TABLE shop (
  shop_id   text PRIMARY KEY,
  name      text NOT NULL,
  time_zone text NOT NULL DEFAULT 'Asia/Shanghai'
);

CREATE TABLE station (
  station_id  text PRIMARY KEY CHECK (station_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  shop_id     text NOT NULL REFERENCES shop,
  name        text NOT NULL,
  enrolled_at timestamptz NOT NULL DEFAULT now()
);

-- Per-station HMAC secrets. Never readable by the ingest role.
CREATE TABLE station_key (
  station_id text NOT NULL REFERENCES station,
  key_id     text NOT NULL,
  secret     text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  PRIMARY KEY (station_id, key_id)
);

-- How far the head office holds each station's sequence; the row lock serialises a station's batches.
CREATE TABLE station_progress (
  station_id       text PRIMARY KEY REFERENCES station,
  last_seq         bigint NOT NULL DEFAULT 0,
  station_last_seq bigint NOT NULL DEFAULT 0,
  last_contact_at  timestamptz,
  last_event_at    timestamptz
);

-- Every event as the station sent it (json keeps its text as received): the audit log, the source
-- of the views below and of any re-projection. The card data check is a backstop behind the upload
-- schema: a card outcome carries a masked PAN, never a full one.
CREATE TABLE event (
  event_id    uuid PRIMARY KEY,
  station_id  text NOT NULL DEFAULT hq_station(),
  seq         bigint NOT NULL CHECK (seq >= 1),
  type        text NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  payload     json NOT NULL,
  UNIQUE (station_id, seq),
  CONSTRAINT card_data_is_masked CHECK (type <> 'card_outcome'
    OR (payload -> 'data' ->> 'maskedPan') ~ '^([0-9]{6}[*]{2,9}[0-9]{4}|[*]{4,19})$')
);

CREATE TABLE sale (
  sale_id            uuid PRIMARY KEY,
  station_id         text NOT NULL DEFAULT hq_station(),
  seq                bigint NOT NULL,
  business_day       date NOT NULL,
  occurred_at        timestamptz NOT NULL,
  currency           char(3) NOT NULL,
  subtotal_minor     bigint NOT NULL,
  discount_minor     bigint NOT NULL,
  vat_minor          bigint NOT NULL,
  total_minor        bigint NOT NULL,
  line_count         integer NOT NULL,
  price_list_version integer,
  voided             boolean NOT NULL DEFAULT false
);

-- A tender's latest state (its history is in the event log).
CREATE TABLE tender (
  tender_id    uuid PRIMARY KEY,
  station_id   text NOT NULL DEFAULT hq_station(),
  sale_id      uuid NOT NULL,
  purpose      text NOT NULL CHECK (purpose IN ('payment', 'refund')),
  kind         text NOT NULL CHECK (kind IN ('card', 'cash', 'qr')),
  state        text NOT NULL,
  business_day date NOT NULL,
  currency     char(3) NOT NULL,
  amount_minor bigint NOT NULL,
  scheme       text NOT NULL DEFAULT '',
  last_seq     bigint NOT NULL
);

CREATE TABLE sale_void (
  sale_id      uuid PRIMARY KEY REFERENCES sale,
  station_id   text NOT NULL DEFAULT hq_station(),
  business_day date NOT NULL,
  reason       text NOT NULL,
  total_minor  bigint NOT NULL,
  occurred_at  timestamptz NOT NULL
);

CREATE TABLE refund (
  refund_id        uuid PRIMARY KEY,
  station_id       text NOT NULL DEFAULT hq_station(),
  original_sale_id uuid,
  business_day     date NOT NULL,
  currency         char(3) NOT NULL,
  total_minor      bigint NOT NULL,
  vat_minor        bigint NOT NULL,
  reason           text NOT NULL,
  occurred_at      timestamptz NOT NULL
);

-- A shift's latest state.
CREATE TABLE shift (
  shift_id            uuid PRIMARY KEY,
  station_id          text NOT NULL DEFAULT hq_station(),
  business_day        date NOT NULL,
  state               text NOT NULL CHECK (state IN ('open', 'closed')),
  cashier             text NOT NULL,
  opened_at           timestamptz NOT NULL,
  closed_at           timestamptz,
  currency            char(3) NOT NULL,
  opening_float_minor bigint NOT NULL,
  paid_in_minor       bigint NOT NULL,
  paid_out_minor      bigint NOT NULL,
  cash_sales_minor    bigint NOT NULL,
  cash_refunds_minor  bigint NOT NULL,
  expected_cash_minor bigint NOT NULL,
  counted_cash_minor  bigint,
  over_short_minor    bigint,
  last_seq            bigint NOT NULL
);
CREATE INDEX shift_day ON shift (business_day);

CREATE TABLE station_report (
  report_id    uuid PRIMARY KEY,
  station_id   text NOT NULL DEFAULT hq_station(),
  kind         text NOT NULL CHECK (kind IN ('X', 'Z')),
  number       integer NOT NULL,
  business_day date NOT NULL,
  currency     char(3) NOT NULL,
  sales_count  bigint NOT NULL,
  sales_minor  bigint NOT NULL,
  net_minor    bigint NOT NULL,
  occurred_at  timestamptz NOT NULL
);

-- An acquirer batch's latest settlement attempt.
CREATE TABLE settlement (
  station_id    text NOT NULL DEFAULT hq_station(),
  batch_number  text NOT NULL,
  business_day  date NOT NULL,
  result        text NOT NULL,
  response_code text,
  currency      char(3) NOT NULL,
  debits_count  bigint NOT NULL,
  debits_minor  bigint NOT NULL,
  credits_count bigint NOT NULL,
  credits_minor bigint NOT NULL,
  occurred_at   timestamptz NOT NULL,
  last_seq      bigint NOT NULL,
  PRIMARY KEY (station_id, batch_number)
);

-- Maintained rollups, updated in each batch's transaction, so a day's report reads a few hundred
-- rows however many sales there are. Amounts are net: voids and refunds subtract.
CREATE TABLE daily_sales (
  business_day   date NOT NULL,
  station_id     text NOT NULL DEFAULT hq_station(),
  currency       char(3) NOT NULL,
  sales_count    bigint NOT NULL DEFAULT 0,
  sales_minor    bigint NOT NULL DEFAULT 0,
  discount_minor bigint NOT NULL DEFAULT 0,
  vat_minor      bigint NOT NULL DEFAULT 0,
  voids_count    bigint NOT NULL DEFAULT 0,
  voids_minor    bigint NOT NULL DEFAULT 0,
  refunds_count  bigint NOT NULL DEFAULT 0,
  refunds_minor  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (business_day, station_id, currency)
);

CREATE TABLE daily_vat (
  business_day date NOT NULL,
  station_id   text NOT NULL DEFAULT hq_station(),
  currency     char(3) NOT NULL,
  vat_rate_bp  integer NOT NULL,
  gross_minor  bigint NOT NULL DEFAULT 0,
  vat_minor    bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (business_day, station_id, currency, vat_rate_bp)
);

CREATE TABLE daily_tender (
  business_day date NOT NULL,
  station_id   text NOT NULL DEFAULT hq_station(),
  currency     char(3) NOT NULL,
  kind         text NOT NULL,
  scheme       text NOT NULL,
  count         bigint NOT NULL DEFAULT 0,
  amount_minor  bigint NOT NULL DEFAULT 0,
  refunds_count bigint NOT NULL DEFAULT 0,
  refunds_minor bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (business_day, station_id, currency, kind, scheme)
);

-- Row-level security on every station-scoped table, forced on the owner too.
DO $$
DECLARE
  scoped text;
BEGIN
  FOREACH scoped IN ARRAY ARRAY['station_progress', 'event', 'sale', 'tender', 'sale_void', 'refund',
                                'shift', 'station_report', 'settlement', 'daily_sales', 'daily_vat', 'daily_tender']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', scoped);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', scoped);
    EXECUTE format('CREATE POLICY station_own_rows ON %I TO hq_ingest USING (station_id = hq_station()) WITH CHECK (station_id = hq_station())', scoped);
    EXECUTE format('CREATE POLICY office_reads ON %I FOR SELECT TO hq_office USING (true)', scoped);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO hq_ingest', scoped);
    EXECUTE format('GRANT SELECT ON %I TO hq_office', scoped);
  END LOOP;
END $$;
-- The office enrols stations: it creates their progress rows (the ingest role cannot).
CREATE POLICY office_enrols ON station_progress FOR INSERT TO hq_office WITH CHECK (true);
GRANT INSERT ON station_progress TO hq_office;
GRANT SELECT ON shop, station TO hq_office;

-- Sale lines and card legs are read from the event log rather than copied into tables of their own
-- (the ingest writes fewer rows per sale). security_invoker: the caller's row-level security applies.
CREATE VIEW sale_line WITH (security_invoker = true) AS
  SELECT (e.payload -> 'data' ->> 'saleId')::uuid AS sale_id, e.station_id, (line ->> 'lineNo')::integer AS line_no,
         line ->> 'sku' AS sku, line ->> 'name' AS name, (line ->> 'quantity')::integer AS quantity,
         (line ->> 'unitPriceMinor')::bigint AS unit_price_minor, (line ->> 'lineDiscountMinor')::bigint AS line_discount_minor,
         (line ->> 'vatRateBp')::integer AS vat_rate_bp, (line ->> 'vatMinor')::bigint AS vat_minor,
         (line ->> 'lineTotalMinor')::bigint AS line_total_minor
    FROM event e, json_array_elements(e.payload -> 'data' -> 'lines') AS line
   WHERE e.type = 'sale';

CREATE VIEW card_leg WITH (security_invoker = true) AS
  SELECT e.event_id, e.station_id, (e.payload -> 'data' ->> 'tenderId')::uuid AS tender_id, (e.payload -> 'data' ->> 'saleId')::uuid AS sale_id,
         e.payload -> 'data' ->> 'scheme' AS scheme, e.payload -> 'data' ->> 'maskedPan' AS masked_pan,
         e.payload -> 'data' ->> 'entryMode' AS entry_mode, e.payload -> 'data' ->> 'result' AS result,
         e.payload -> 'data' ->> 'responseCode' AS response_code, e.payload -> 'data' ->> 'approvalCode' AS approval_code,
         e.payload -> 'data' ->> 'rrn' AS rrn, e.occurred_at
    FROM event e
   WHERE e.type = 'card_outcome';

GRANT SELECT ON sale_line, card_leg TO hq_ingest, hq_office;
