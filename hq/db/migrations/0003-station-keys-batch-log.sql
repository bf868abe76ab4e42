-- 1. Every key is the station's own. PostgreSQL checks unique keys and foreign keys outside
--    row-level security, so a key of ids alone let one station collide with another's rows (claim
--    its sale, tender or event id first and jam its uploads) or reference them (void its sale).
--    Scoped by station_id, which is always hq_station(), a station meets only its own rows.
ALTER TABLE sale_void DROP CONSTRAINT sale_void_sale_id_fkey;
ALTER TABLE sale_void DROP CONSTRAINT sale_void_pkey;
ALTER TABLE sale DROP CONSTRAINT sale_pkey;
ALTER TABLE sale ADD PRIMARY KEY (station_id, sale_id);
ALTER TABLE sale_void ADD PRIMARY KEY (station_id, sale_id);
ALTER TABLE sale_void ADD CONSTRAINT sale_void_sale_fkey FOREIGN KEY (station_id, sale_id) REFERENCES sale (station_id, sale_id);
ALTER TABLE tender DROP CONSTRAINT tender_pkey;
ALTER TABLE tender ADD PRIMARY KEY (station_id, tender_id);
ALTER TABLE refund DROP CONSTRAINT refund_pkey;
ALTER TABLE refund ADD PRIMARY KEY (station_id, refund_id);
ALTER TABLE shift DROP CONSTRAINT shift_pkey;
ALTER TABLE shift ADD PRIMARY KEY (station_id, shift_id);
ALTER TABLE station_report DROP CONSTRAINT station_report_pkey;
ALTER TABLE station_report ADD PRIMARY KEY (station_id, report_id);

-- 2. A void takes back what the stored sale says, VAT by rate included, not what the void claims.
--    (The owner updates the rows it holds with row-level security lifted for the moment: FORCE would
--    bind it to the ingest policy, under which no station is set here.)
ALTER TABLE sale ADD COLUMN vat_breakdown json;
ALTER TABLE sale NO FORCE ROW LEVEL SECURITY;
UPDATE sale SET vat_breakdown = e.payload -> 'data' -> 'vatBreakdown'
  FROM event e WHERE e.type = 'sale' AND e.station_id = sale.station_id AND (e.payload -> 'data' ->> 'saleId')::uuid = sale.sale_id;
ALTER TABLE sale FORCE ROW LEVEL SECURITY;
ALTER TABLE sale ALTER COLUMN vat_breakdown SET NOT NULL;

-- 3. The event log keeps one row per batch instead of one per event: the batch's body exactly as
--    the station sent it and signed it, with the range of sequence numbers it brought. `skipped`
--    events at its head were held already (a resend overlapping what was stored). Far fewer rows
--    and index entries per sale; lz4 keeps the bodies small on disk at little CPU. The `event` view
--    below gives the events one per row again, for audits and re-projections.
CREATE TABLE event_batch (
  station_id  text NOT NULL DEFAULT hq_station(),
  first_seq   bigint NOT NULL CHECK (first_seq >= 1),
  last_seq    bigint NOT NULL,
  skipped     integer NOT NULL DEFAULT 0 CHECK (skipped >= 0),
  received_at timestamptz NOT NULL DEFAULT now(),
  body        bytea COMPRESSION lz4 NOT NULL,
  PRIMARY KEY (station_id, first_seq),
  CHECK (last_seq >= first_seq)
);
-- Card legs get a table of their own: the report reads schemes from it, and its CHECK is the
-- database's backstop behind the upload schema: a card outcome carries a masked PAN, never a full one.
CREATE TABLE card_outcome (
  station_id    text NOT NULL DEFAULT hq_station(),
  seq           bigint NOT NULL,
  tender_id     uuid NOT NULL,
  sale_id       uuid NOT NULL,
  scheme        text NOT NULL,
  masked_pan    text NOT NULL CONSTRAINT card_data_is_masked CHECK (masked_pan ~ '^([0-9]{6}[*]{2,9}[0-9]{4}|[*]{4,19})$'),
  entry_mode    text NOT NULL,
  result        text NOT NULL,
  response_code text,
  approval_code text,
  rrn           text,
  occurred_at   timestamptz NOT NULL,
  PRIMARY KEY (station_id, seq)
);

-- What the per-event log held moves over, one batch per event (read through hq_office's policy).
INSERT INTO event_batch (station_id, first_seq, last_seq, received_at, body)
  SELECT station_id, seq, seq, received_at, convert_to(json_build_object('events', json_build_array(payload))::text, 'UTF8') FROM event;
INSERT INTO card_outcome (station_id, seq, tender_id, sale_id, scheme, masked_pan, entry_mode, result, response_code, approval_code, rrn, occurred_at)
  SELECT station_id, seq, (payload -> 'data' ->> 'tenderId')::uuid, (payload -> 'data' ->> 'saleId')::uuid, payload -> 'data' ->> 'scheme',
         payload -> 'data' ->> 'maskedPan', payload -> 'data' ->> 'entryMode', payload -> 'data' ->> 'result', payload -> 'data' ->> 'responseCode',
         payload -> 'data' ->> 'approvalCode', payload -> 'data' ->> 'rrn', occurred_at
    FROM event WHERE type = 'card_outcome';
DROP VIEW card_leg;
DROP VIEW sale_line;
DROP TABLE event;

DO $$
DECLARE
  scoped text;
BEGIN
  FOREACH scoped IN ARRAY ARRAY['event_batch', 'card_outcome'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', scoped);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', scoped);
    EXECUTE format('CREATE POLICY station_own_rows ON %I TO hq_ingest USING (station_id = hq_station()) WITH CHECK (station_id = hq_station())', scoped);
    EXECUTE format('CREATE POLICY office_reads ON %I FOR SELECT TO hq_office USING (true)', scoped);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO hq_ingest', scoped);
    EXECUTE format('GRANT SELECT ON %I TO hq_office', scoped);
  END LOOP;
END $$;

-- Every event as the station sent it, one per row, read out of the batches (security_invoker: the
-- caller's row-level security applies). Slow over a whole station's history; it is for audits.
CREATE VIEW event WITH (security_invoker = true) AS
  SELECT b.station_id, b.first_seq + (e.n - 1 - b.skipped) AS seq, (e.value ->> 'eventId')::uuid AS event_id, e.value ->> 'type' AS type,
         (e.value ->> 'occurredAt')::timestamptz AS occurred_at, b.received_at, e.value AS payload
    FROM event_batch b, json_array_elements(convert_from(b.body, 'UTF8')::json -> 'events') WITH ORDINALITY AS e(value, n)
   WHERE e.n > b.skipped;

CREATE VIEW sale_line WITH (security_invoker = true) AS
  SELECT (e.payload -> 'data' ->> 'saleId')::uuid AS sale_id, e.station_id, (line ->> 'lineNo')::integer AS line_no,
         line ->> 'sku' AS sku, line ->> 'name' AS name, (line ->> 'quantity')::integer AS quantity,
         (line ->> 'unitPriceMinor')::bigint AS unit_price_minor, (line ->> 'lineDiscountMinor')::bigint AS line_discount_minor,
         (line ->> 'vatRateBp')::integer AS vat_rate_bp, (line ->> 'vatMinor')::bigint AS vat_minor,
         (line ->> 'lineTotalMinor')::bigint AS line_total_minor
    FROM event e, json_array_elements(e.payload -> 'data' -> 'lines') AS line
   WHERE e.type = 'sale';

GRANT SELECT ON event, sale_line TO hq_ingest, hq_office;
