/**
 * The catalog and its prices, edited at the head office and published in numbered versions. Every
 * edit publishes a whole new version (the previous one with the change applied), so a version
 * never changes once a station may have fetched it, and a station that missed some needs only the
 * newest.
 */
import type pg from 'pg';
import { ProductSchema, type Product } from '../../common/catalog.ts';
import type { PriceList } from '../../common/head-office/price-list.ts';
import { isCurrencyCode } from '../../common/money.ts';
import { inTransaction, insertRecords, withClient } from '../db/database.ts';

/** Serialises publishers, so two edits at once cannot both become version N + 1 on the same base. */
const PUBLISH_LOCK = 0x48_51_50_4c; // "HQPL"

interface ItemRow {
  sku: string;
  gtin: string | null;
  name_zh: string;
  name_en: string;
  price_minor: number;
  currency: string;
  vat_rate_bp: number;
  category: string;
  active: boolean;
}

function toProduct(row: ItemRow): Product {
  if (!isCurrencyCode(row.currency)) throw new Error(`price list item ${row.sku} has an unknown currency ${row.currency}`);
  return ProductSchema.parse({
    sku: row.sku,
    ...(row.gtin ? { gtin: row.gtin } : {}),
    name: { 'zh-CN': row.name_zh, en: row.name_en },
    price: { amountMinor: row.price_minor, currency: row.currency },
    vatRateBp: row.vat_rate_bp,
    category: row.category,
    active: row.active,
  });
}

async function readVersion(client: pg.ClientBase, version: number): Promise<PriceList | undefined> {
  const head = await client.query<{ version: number; published_at: Date; note: string }>('SELECT version, published_at, note FROM price_list WHERE version = $1', [version]);
  const list = head.rows[0];
  if (!list) return undefined;
  const items = await client.query<ItemRow>('SELECT sku, gtin, name_zh, name_en, price_minor, currency, vat_rate_bp, category, active FROM price_list_item WHERE version = $1 ORDER BY sku', [version]);
  return { version: list.version, publishedAt: list.published_at.toISOString(), note: list.note, items: items.rows.map(toProduct) };
}

async function newestVersion(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM price_list');
  return rows[0]?.version ?? 0;
}

/** The newest price list, or undefined when there is none newer than `after`. */
export async function latestPriceList(pool: pg.Pool, after = 0): Promise<PriceList | undefined> {
  return withClient(pool, async (client) => {
    const newest = await newestVersion(client);
    return newest > after ? await readVersion(client, newest) : undefined;
  });
}

export interface PriceListEdit {
  /** Items added, or replaced by SKU. */
  readonly upsert?: readonly Product[];
  /** SKUs that can no longer be sold (they stay listed, inactive, for old receipts and reports). */
  readonly deactivate?: readonly string[];
  /** Start from nothing instead of the newest version: an import of a whole catalog. */
  readonly replaceAll?: boolean;
  readonly note?: string;
}

/** Applies an edit to the newest version and publishes the result as the next version. */
export async function publishPriceList(pool: pg.Pool, edit: PriceListEdit): Promise<PriceList> {
  const upsert = (edit.upsert ?? []).map((item) => ProductSchema.parse(item));
  return withClient(pool, async (client) => {
    const version = await inTransaction(client, async () => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [PUBLISH_LOCK]);
      const base = await newestVersion(client);
      const current = edit.replaceAll || base === 0 ? [] : ((await readVersion(client, base))?.items ?? []);
      const items = new Map(current.map((item) => [item.sku, item]));
      for (const item of upsert) items.set(item.sku, item);
      for (const sku of edit.deactivate ?? []) {
        const item = items.get(sku);
        if (!item) throw new Error(`no item with SKU ${sku} in price list version ${base}`);
        items.set(sku, { ...item, active: false });
      }
      const next = base + 1;
      await client.query('INSERT INTO price_list (version, note) VALUES ($1, $2)', [next, edit.note ?? '']);
      await insertRecords(
        client,
        'price_list_item',
        { version: 'integer', sku: 'text', gtin: 'text', name_zh: 'text', name_en: 'text', price_minor: 'bigint', currency: 'char(3)', vat_rate_bp: 'integer', category: 'text', active: 'boolean' },
        [...items.values()].map((item) => ({
          version: next,
          sku: item.sku,
          gtin: item.gtin ?? null,
          name_zh: item.name['zh-CN'],
          name_en: item.name.en,
          price_minor: item.price.amountMinor,
          currency: item.price.currency,
          vat_rate_bp: item.vatRateBp,
          category: item.category,
          active: item.active,
        })),
      );
      return next;
    });
    return (await readVersion(client, version))!;
  });
}
