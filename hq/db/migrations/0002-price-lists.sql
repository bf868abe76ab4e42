-- The catalog with its prices, published by the head office in numbered versions. A version is a
-- whole list and never changes once published; stations fetch the newest. Chain-wide data, not a
-- station's, so no row-level security: the ingest role may only read it.
CREATE TABLE price_list (
  version      integer PRIMARY KEY,
  published_at timestamptz NOT NULL DEFAULT now(),
  note         text NOT NULL DEFAULT ''
);

CREATE TABLE price_list_item (
  version      integer NOT NULL REFERENCES price_list,
  sku          text NOT NULL,
  gtin         text,
  name_zh      text NOT NULL,
  name_en      text NOT NULL,
  price_minor  bigint NOT NULL CHECK (price_minor >= 0),
  currency     char(3) NOT NULL,
  vat_rate_bp  integer NOT NULL CHECK (vat_rate_bp IN (1300, 900, 600, 0)),
  category     text NOT NULL,
  active       boolean NOT NULL,
  PRIMARY KEY (version, sku)
);

GRANT SELECT ON price_list, price_list_item TO hq_ingest, hq_office;
