/**
 * The office's report, read from the maintained rollups (sales, tenders, VAT) and the small
 * per-shift, per-settlement and per-station tables, never from the sales themselves: its cost
 * follows the number of stations and days, not the number of sales.
 */
import type pg from 'pg';
import { HeadOfficeReportSchema, type HeadOfficeReport, type ReportQuery } from '../../common/head-office/report.ts';

const NET = 'sum(d.sales_minor - d.voids_minor - d.refunds_minor)::bigint AS "netMinor"';
const SALES_SUMS = `sum(d.sales_count)::bigint AS "salesCount", sum(d.sales_minor)::bigint AS "salesMinor",
  sum(d.discount_minor)::bigint AS "discountMinor", sum(d.vat_minor)::bigint AS "vatMinor",
  sum(d.voids_count)::bigint AS "voidsCount", sum(d.voids_minor)::bigint AS "voidsMinor",
  sum(d.refunds_count)::bigint AS "refundsCount", sum(d.refunds_minor)::bigint AS "refundsMinor", ${NET}`;

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export async function headOfficeReport(pool: pg.Pool, query: ReportQuery, now: Date = new Date()): Promise<HeadOfficeReport> {
  const range = [query.from, query.to];
  const [byShop, byStationDay, tenders, vat, shifts, settlements, stations] = await Promise.all([
    pool.query(
      `SELECT s.shop_id AS "shopId", shop.name AS "shopName", d.currency, count(DISTINCT d.station_id)::bigint AS stations, ${SALES_SUMS}
         FROM daily_sales d JOIN station s USING (station_id) JOIN shop USING (shop_id)
        WHERE d.business_day BETWEEN $1 AND $2 GROUP BY s.shop_id, shop.name, d.currency ORDER BY s.shop_id, d.currency`,
      range,
    ),
    pool.query(
      `SELECT d.business_day AS "businessDay", s.shop_id AS "shopId", d.station_id AS "stationId", d.currency, ${SALES_SUMS}
         FROM daily_sales d JOIN station s USING (station_id)
        WHERE d.business_day BETWEEN $1 AND $2 GROUP BY d.business_day, s.shop_id, d.station_id, d.currency
        ORDER BY d.business_day, s.shop_id, d.station_id`,
      range,
    ),
    pool.query(
      `SELECT s.shop_id AS "shopId", d.kind, d.scheme, d.currency, sum(d.count)::bigint AS count, sum(d.amount_minor)::bigint AS "amountMinor",
              sum(d.refunds_count)::bigint AS "refundsCount", sum(d.refunds_minor)::bigint AS "refundsMinor"
         FROM daily_tender d JOIN station s USING (station_id)
        WHERE d.business_day BETWEEN $1 AND $2 GROUP BY s.shop_id, d.kind, d.scheme, d.currency ORDER BY s.shop_id, d.kind, d.scheme`,
      range,
    ),
    pool.query(
      `SELECT s.shop_id AS "shopId", d.vat_rate_bp AS "vatRateBp", d.currency, sum(d.gross_minor)::bigint AS "grossMinor", sum(d.vat_minor)::bigint AS "vatMinor"
         FROM daily_vat d JOIN station s USING (station_id)
        WHERE d.business_day BETWEEN $1 AND $2 GROUP BY s.shop_id, d.vat_rate_bp, d.currency ORDER BY s.shop_id, d.vat_rate_bp DESC`,
      range,
    ),
    pool.query(
      `SELECT sh.shift_id AS "shiftId", s.shop_id AS "shopId", sh.station_id AS "stationId", sh.business_day AS "businessDay", sh.cashier, sh.state,
              sh.currency, sh.expected_cash_minor AS "expectedCashMinor", sh.counted_cash_minor AS "countedCashMinor", sh.over_short_minor AS "overShortMinor"
         FROM shift sh JOIN station s USING (station_id)
        WHERE sh.business_day BETWEEN $1 AND $2 ORDER BY sh.business_day, sh.station_id, sh.opened_at`,
      range,
    ),
    pool.query(
      `SELECT s.station_id AS "stationId", s.shop_id AS "shopId", st.batch_number AS "batchNumber", st.business_day AS "businessDay", st.result,
              st.occurred_at AS "settledAt", st.currency, st.debits_minor AS "debitsMinor", st.credits_minor AS "creditsMinor"
         FROM station s LEFT JOIN LATERAL (
           SELECT * FROM settlement WHERE settlement.station_id = s.station_id ORDER BY occurred_at DESC LIMIT 1) st ON true
        ORDER BY s.station_id`,
    ),
    pool.query(
      `SELECT s.station_id AS "stationId", s.shop_id AS "shopId", s.name, p.last_contact_at AS "lastContactAt",
              greatest(p.station_last_seq - p.last_seq, 0)::bigint AS backlog,
              (p.last_contact_at IS NULL OR p.last_contact_at < $1::timestamptz - make_interval(mins => $2)) AS silent
         FROM station s JOIN station_progress p USING (station_id) ORDER BY s.station_id`,
      [now.toISOString(), query.silentAfterMinutes],
    ),
  ]);
  return HeadOfficeReportSchema.parse({
    from: query.from,
    to: query.to,
    generatedAt: now.toISOString(),
    silentAfterMinutes: query.silentAfterMinutes,
    byShop: byShop.rows,
    byStationDay: byStationDay.rows,
    tenders: tenders.rows,
    vat: vat.rows,
    shifts: shifts.rows,
    settlements: settlements.rows.map((row) => ({ ...row, settledAt: iso(row.settledAt) })),
    stations: stations.rows.map((row) => ({ ...row, lastContactAt: iso(row.lastContactAt) })),
  });
}
