/**
 * Catalog rows → items, with every problem of every bad row named: which row, which file line,
 * which SKU, which field and why. A bad row is never half taken (a row is an item or an error), and
 * the checks across rows (one SKU, one GTIN per item) run too, so one pass tells the merchant all
 * that must be fixed.
 *
 * CSV columns (header row first, any order, case-insensitive; docs/catalog.md):
 *   sku, gtin, name_zh, name_en, category, price, vat_rate, active [, currency]
 *   price in major units with the currency's decimals ("12.50"); vat_rate in percent ("13", "9%");
 *   active true/false/yes/no/1/0, empty for true; gtin may be empty; currency defaults to CNY.
 * JSON: an array of items in the station's own shape (common/catalog.ts), what listCatalog answers
 * and what a head office's price list carries.
 */
import { z } from 'zod';
import { GtinSchema, ProductSchema, VAT_RATES_BP, type Product } from '../../common/catalog.ts';
import { toGtin14 } from '../../common/gtin.ts';
import { CURRENCIES, isCurrencyCode, MAX_AMOUNT_MINOR, type CurrencyCode } from '../../common/money.ts';
import type { CsvRecord } from './csv.ts';

export interface RowError {
  /** The 1-based data row (the CSV header is not a row; a JSON array's first item is row 1). */
  readonly row: number;
  /** The file line the row starts on (CSV). */
  readonly line?: number;
  readonly sku?: string;
  readonly problems: readonly string[];
}

export interface CatalogRows {
  readonly items: Product[];
  readonly errors: RowError[];
}

/** A whole file the station cannot read as a catalog: no rows at all can be judged. */
export class CatalogFileError extends Error {
  override readonly name = 'CatalogFileError';
}

const DEFAULT_CURRENCY: CurrencyCode = 'CNY';
const REQUIRED_COLUMNS = ['sku', 'gtin', 'name_zh', 'name_en', 'category', 'price', 'vat_rate', 'active'] as const;
const COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, 'currency'];

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** An item as a file or a price list may give it: the product shape, strict, within the contract's limits. */
export const CatalogItemSchema = z.strictObject({
  sku: text(64).regex(/^[^\s]+$/, 'must have no spaces'),
  gtin: GtinSchema.optional(),
  name: z.strictObject({ 'zh-CN': text(120), en: text(120) }),
  price: z.strictObject({
    amountMinor: z.number().int().min(1, 'must be more than zero').max(MAX_AMOUNT_MINOR),
    currency: ProductSchema.shape.price.shape.currency,
  }),
  vatRateBp: ProductSchema.shape.vatRateBp,
  category: text(40),
  active: z.boolean(),
});

export function itemsFromJson(value: unknown): CatalogRows {
  if (!Array.isArray(value)) throw new CatalogFileError('a JSON catalog is an array of items');
  const checked = value.map((candidate, index) => {
    const row = index + 1;
    const sku = typeof candidate === 'object' && candidate !== null && typeof (candidate as { sku?: unknown }).sku === 'string' ? (candidate as { sku: string }).sku : undefined;
    const parsed = CatalogItemSchema.safeParse(candidate);
    return parsed.success ? { row, item: parsed.data as Product } : { row, error: rowError(row, undefined, sku, parsed.error.issues.map((issue) => describeIssue(issue))) };
  });
  return crossCheck(checked);
}

export function itemsFromCsv(records: readonly CsvRecord[]): CatalogRows {
  const [header, ...rows] = records;
  if (!header) throw new CatalogFileError('the file is empty: a CSV catalog starts with a header row');
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  const unknown = columns.filter((name) => !COLUMNS.includes(name));
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  const repeated = columns.filter((name, index) => columns.indexOf(name) !== index);
  const headerProblems = [
    ...(missing.length > 0 ? [`missing column(s): ${missing.join(', ')}`] : []),
    ...(unknown.length > 0 ? [`unknown column(s): ${unknown.join(', ')}`] : []),
    ...(repeated.length > 0 ? [`repeated column(s): ${repeated.join(', ')}`] : []),
  ];
  if (headerProblems.length > 0) throw new CatalogFileError(`line ${header.line} (the header): ${headerProblems.join('; ')}. Columns: ${COLUMNS.join(', ')}`);
  const checked = rows.map((record, index) => {
    const row = index + 1;
    const cell = (name: string) => (record.fields[columns.indexOf(name)] ?? '').trim();
    if (record.fields.length !== columns.length) {
      return { row, error: rowError(row, record.line, cell('sku') || undefined, [`has ${record.fields.length} fields, the header has ${columns.length}`]) };
    }
    const { candidate, problems, unconverted } = candidateFromCells(cell);
    const parsed = CatalogItemSchema.safeParse(candidate);
    // A cell that could not be converted at all is reported once, as the cell it is.
    const issues = parsed.success ? [] : parsed.error.issues.filter((issue) => !unconverted.has(String(issue.path[0]))).map((issue) => describeIssue(issue, CSV_COLUMN_OF));
    const all = [...problems, ...issues];
    return all.length === 0 && parsed.success ? { row, line: record.line, item: parsed.data as Product } : { row, error: rowError(row, record.line, cell('sku') || undefined, all) };
  });
  return crossCheck(checked);
}

/** The item fields as CSV columns, for messages. */
const CSV_COLUMN_OF: Readonly<Record<string, string>> = { 'name.zh-CN': 'name_zh', 'name.en': 'name_en', 'price.amountMinor': 'price', 'price.currency': 'currency', vatRateBp: 'vat_rate' };

/** The cells of one CSV row → the item shape, with the problems of cells that cannot be converted at all (and which item fields they are). */
function candidateFromCells(cell: (name: string) => string): { candidate: unknown; problems: string[]; unconverted: Set<string> } {
  const problems: string[] = [];
  const unconverted = new Set<string>();
  const currencyCell = cell('currency') || DEFAULT_CURRENCY;
  const currency = isCurrencyCode(currencyCell) ? currencyCell : undefined;
  if (!currency) {
    problems.push(`currency: '${currencyCell}' is not one of ${Object.keys(CURRENCIES).join(', ')}`);
    unconverted.add('price');
  }
  const amountMinor = currency ? minorUnits(cell('price'), currency) : undefined;
  if (currency && amountMinor === undefined) {
    const decimals = CURRENCIES[currency].minorDigits;
    problems.push(`price: '${cell('price')}' is not an amount in ${currency} with at most ${decimals} decimals (e.g. ${decimals === 0 ? '1250' : '12.50'})`);
    unconverted.add('price');
  }
  const vat = /^(\d{1,2})\s*%?$/.exec(cell('vat_rate'));
  const vatRateBp = vat ? Number(vat[1]) * 100 : undefined;
  if (vatRateBp === undefined || !(VAT_RATES_BP as readonly number[]).includes(vatRateBp)) {
    problems.push(`vat_rate: '${cell('vat_rate')}' is not one of ${VAT_RATES_BP.map((bp) => `${bp / 100}`).join(', ')} (percent)`);
    unconverted.add('vatRateBp');
  }
  const active = parseActive(cell('active'));
  if (active === undefined) {
    problems.push(`active: '${cell('active')}' is not true/false, yes/no or 1/0`);
    unconverted.add('active');
  }
  const candidate = {
    sku: cell('sku'),
    ...(cell('gtin') === '' ? {} : { gtin: cell('gtin') }),
    name: { 'zh-CN': cell('name_zh'), en: cell('name_en') },
    price: { amountMinor: amountMinor ?? 0, currency: currency ?? DEFAULT_CURRENCY },
    vatRateBp: vatRateBp ?? 0,
    category: cell('category'),
    active: active ?? false,
  };
  return { candidate, problems, unconverted };
}

/** "12.50" → 1250 for a currency with two decimals; undefined for anything else. Never through a float. */
function minorUnits(value: string, currency: CurrencyCode): number | undefined {
  const decimals = CURRENCIES[currency].minorDigits;
  const match = (decimals === 0 ? /^(\d+)$/ : new RegExp(`^(\\d+)(?:\\.(\\d{1,${decimals}}))?$`)).exec(value);
  if (!match) return undefined;
  const amount = Number(`${match[1]}${(match[2] ?? '').padEnd(decimals, '0')}`);
  return Number.isSafeInteger(amount) ? amount : undefined;
}

function parseActive(value: string): boolean | undefined {
  const normalized = value.toLowerCase();
  if (['', 'true', 'yes', '1', 'y'].includes(normalized)) return true;
  if (['false', 'no', '0', 'n'].includes(normalized)) return false;
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue, names: Readonly<Record<string, string>> = {}): string {
  const path = issue.path.join('.') || 'item';
  return `${names[path] ?? path}: ${issue.message}`;
}

function rowError(row: number, line: number | undefined, sku: string | undefined, problems: readonly string[]): RowError {
  return { row, ...(line === undefined ? {} : { line }), ...(sku === undefined || sku === '' ? {} : { sku }), problems };
}

type Checked = { row: number; line?: number; item: Product } | { row: number; error: RowError };

/** One SKU and one GTIN (as GTIN-14: a UPC-A and its EAN-13 are one GTIN) per item across the file. */
function crossCheck(checked: readonly Checked[]): CatalogRows {
  const firstBySku = new Map<string, number>();
  const firstByGtin = new Map<string, number>();
  const items: Product[] = [];
  const errors: RowError[] = [];
  for (const entry of checked) {
    if ('error' in entry) {
      errors.push(entry.error);
      continue;
    }
    const { item, row } = entry;
    const problems: string[] = [];
    const skuRow = firstBySku.get(item.sku);
    if (skuRow !== undefined) problems.push(`sku: ${item.sku} is already used by row ${skuRow}`);
    else firstBySku.set(item.sku, row);
    if (item.gtin !== undefined) {
      const key = toGtin14(item.gtin);
      const gtinRow = firstByGtin.get(key);
      if (gtinRow !== undefined) problems.push(`gtin: ${item.gtin} is already used by row ${gtinRow}`);
      else firstByGtin.set(key, row);
    }
    if (problems.length > 0) errors.push(rowError(row, entry.line, item.sku, problems));
    else items.push(item);
  }
  return { items, errors };
}

/** "row 3 (line 4, sku TEA-002): price: …; gtin: …" */
export function describeRowError(error: RowError): string {
  const where = [error.line === undefined ? undefined : `line ${error.line}`, error.sku === undefined ? undefined : `sku ${error.sku}`].filter(Boolean).join(', ');
  return `row ${error.row}${where ? ` (${where})` : ''}: ${error.problems.join('; ')}`;
}
