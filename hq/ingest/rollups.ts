/**
 * The daily rollups a batch changes, added up in memory and written with one upsert per table, so a
 * day's report reads a few hundred rows however many sales there are. A station's batches run one
 * at a time (its progress row is locked) and touch only its own rollup rows, so stations never
 * wait on each other here.
 */
import type pg from 'pg';
import type { VatLine } from '../../common/head-office/upload-schema.ts';
import { insertRecords } from '../db/database.ts';

interface SalesDelta {
  business_day: string;
  currency: string;
  sales_count: number;
  sales_minor: number;
  discount_minor: number;
  vat_minor: number;
  voids_count: number;
  voids_minor: number;
  refunds_count: number;
  refunds_minor: number;
}

interface VatDelta {
  business_day: string;
  currency: string;
  vat_rate_bp: number;
  gross_minor: number;
  vat_minor: number;
}

interface TenderDelta {
  business_day: string;
  currency: string;
  kind: string;
  scheme: string;
  count: number;
  amount_minor: number;
  refunds_count: number;
  refunds_minor: number;
}

interface TakenBack {
  readonly businessDay: string;
  readonly currency: string;
  readonly totalMinor: number;
  readonly vatMinor: number;
  readonly vatBreakdown: readonly VatLine[];
}

function entry<T>(map: Map<string, T>, key: string, create: () => T): T {
  let found = map.get(key);
  if (!found) {
    found = create();
    map.set(key, found);
  }
  return found;
}

export class RollupDeltas {
  private readonly sales = new Map<string, SalesDelta>();
  private readonly vat = new Map<string, VatDelta>();
  private readonly tenders = new Map<string, TenderDelta>();

  private day(businessDay: string, currency: string): SalesDelta {
    return entry(this.sales, `${businessDay}|${currency}`, () => ({
      business_day: businessDay,
      currency,
      sales_count: 0,
      sales_minor: 0,
      discount_minor: 0,
      vat_minor: 0,
      voids_count: 0,
      voids_minor: 0,
      refunds_count: 0,
      refunds_minor: 0,
    }));
  }

  /** Adds (sign +1) or takes back (sign −1) a VAT breakdown. */
  private vatLines(businessDay: string, currency: string, lines: readonly VatLine[], sign: 1 | -1): void {
    for (const line of lines) {
      const delta = entry(this.vat, `${businessDay}|${currency}|${line.vatRateBp}`, () => ({ business_day: businessDay, currency, vat_rate_bp: line.vatRateBp, gross_minor: 0, vat_minor: 0 }));
      delta.gross_minor += sign * line.grossMinor;
      delta.vat_minor += sign * line.vatMinor;
    }
  }

  sale(sale: { businessDay: string; currency: string; totalMinor: number; discountMinor: number; vatMinor: number; vatBreakdown: readonly VatLine[] }): void {
    const day = this.day(sale.businessDay, sale.currency);
    day.sales_count += 1;
    day.sales_minor += sale.totalMinor;
    day.discount_minor += sale.discountMinor;
    day.vat_minor += sale.vatMinor;
    this.vatLines(sale.businessDay, sale.currency, sale.vatBreakdown, 1);
  }

  voided(voided: TakenBack): void {
    this.takeBack('voids', voided);
  }

  refund(refund: TakenBack): void {
    this.takeBack('refunds', refund);
  }

  /** A void or a refund: counted as such, and its amount and VAT taken back out of the day. */
  private takeBack(kind: 'voids' | 'refunds', amounts: TakenBack): void {
    const day = this.day(amounts.businessDay, amounts.currency);
    day[`${kind}_count`] += 1;
    day[`${kind}_minor`] += amounts.totalMinor;
    day.vat_minor -= amounts.vatMinor;
    this.vatLines(amounts.businessDay, amounts.currency, amounts.vatBreakdown, -1);
  }

  /** An approved tender counts (sign +1); one that stops being approved is taken back (sign −1). */
  tender(tender: { businessDay: string; currency: string; kind: string; scheme: string; purpose: 'payment' | 'refund'; amountMinor: number }, sign: 1 | -1): void {
    const delta = entry(this.tenders, `${tender.businessDay}|${tender.currency}|${tender.kind}|${tender.scheme}`, () => ({
      business_day: tender.businessDay,
      currency: tender.currency,
      kind: tender.kind,
      scheme: tender.scheme,
      count: 0,
      amount_minor: 0,
      refunds_count: 0,
      refunds_minor: 0,
    }));
    if (tender.purpose === 'payment') {
      delta.count += sign;
      delta.amount_minor += sign * tender.amountMinor;
    } else {
      delta.refunds_count += sign;
      delta.refunds_minor += sign * tender.amountMinor;
    }
  }

  async write(client: pg.ClientBase): Promise<void> {
    const add = (table: string, key: string, columns: readonly string[]) =>
      `ON CONFLICT (${key}) DO UPDATE SET ${columns.map((column) => `${column} = ${table}.${column} + excluded.${column}`).join(', ')}`;
    const salesColumns = ['sales_count', 'sales_minor', 'discount_minor', 'vat_minor', 'voids_count', 'voids_minor', 'refunds_count', 'refunds_minor'];
    await insertRecords(
      client,
      'daily_sales',
      { business_day: 'date', currency: 'char(3)', ...Object.fromEntries(salesColumns.map((column) => [column, 'bigint'])) },
      [...this.sales.values()],
      add('daily_sales', 'business_day, station_id, currency', salesColumns),
    );
    await insertRecords(
      client,
      'daily_vat',
      { business_day: 'date', currency: 'char(3)', vat_rate_bp: 'integer', gross_minor: 'bigint', vat_minor: 'bigint' },
      [...this.vat.values()],
      add('daily_vat', 'business_day, station_id, currency, vat_rate_bp', ['gross_minor', 'vat_minor']),
    );
    const tenderColumns = ['count', 'amount_minor', 'refunds_count', 'refunds_minor'];
    await insertRecords(
      client,
      'daily_tender',
      { business_day: 'date', currency: 'char(3)', kind: 'text', scheme: 'text', ...Object.fromEntries(tenderColumns.map((column) => [column, 'bigint'])) },
      [...this.tenders.values()],
      add('daily_tender', 'business_day, station_id, currency, kind, scheme', tenderColumns),
    );
  }
}
