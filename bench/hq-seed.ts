/**
 * The daily-report benchmark's 10 million sales, seeded in SQL (the upload path is measured on its
 * own): one business day at a time, `stations` stations × `perDay` sales a day, each sale with its
 * tender, and that day's rollups from the same rows, as the ingest maintains them. Ids are
 * UUIDv7-shaped and ascending by day, like the stations' own. Written by the cluster's superuser
 * straight into the tables (row-level security does not apply to it): test data, not an upload.
 * Sale lines are not seeded (30 million more rows, which the daily report never reads).
 */
import type pg from 'pg';

export interface SeedPlan {
  readonly sales: number;
  readonly stations: number;
  readonly perDay: number;
  readonly firstDay: string;
}

export const SEED_STATION_PREFIX = 'R';

export function seedStationId(index: number): string {
  return `${SEED_STATION_PREFIX}${String(index).padStart(3, '0')}`;
}

export function seedDays(plan: SeedPlan): number {
  return Math.ceil(plan.sales / (plan.stations * plan.perDay));
}

/** The business day `offset` days after the first. */
export function seedDay(plan: SeedPlan, offset: number): string {
  return new Date(Date.parse(`${plan.firstDay}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
}

const SALE_OF_DAY = `
  WITH g AS (
    SELECT s, n, ($2::bigint + n * 1000) AS ms, 100 + ((s * 7919 + n * 104729 + $4::int * 31) % 20000) AS total,
           (ARRAY[1300, 900, 600])[1 + (s + n) % 3] AS rate
      FROM generate_series(1, $3::int) AS s, generate_series(1, $5::int) AS n
  )`;

export async function seedSales(client: pg.ClientBase, plan: SeedPlan, progress: (line: string) => void): Promise<void> {
  await client.query('SET synchronous_commit = off');
  const shops = Math.ceil(plan.stations / 10);
  await client.query(`INSERT INTO shop (shop_id, name) SELECT 'RS' || lpad(i::text, 2, '0'), 'Bench shop ' || i FROM generate_series(1, $1::int) i ON CONFLICT DO NOTHING`, [shops]);
  await client.query(
    `INSERT INTO station (station_id, shop_id, name) SELECT $2 || lpad(i::text, 3, '0'), 'RS' || lpad((1 + (i - 1) / 10)::text, 2, '0'), 'Bench ' || i
       FROM generate_series(1, $1::int) i ON CONFLICT DO NOTHING`,
    [plan.stations, SEED_STATION_PREFIX],
  );
  await client.query(`INSERT INTO station_progress (station_id, last_contact_at) SELECT station_id, now() FROM station WHERE station_id LIKE $1 || '%' ON CONFLICT DO NOTHING`, [SEED_STATION_PREFIX]);
  const days = seedDays(plan);
  let seeded = 0;
  for (let day = 0; day < days && seeded < plan.sales; day++) {
    const perStation = Math.min(plan.perDay, Math.ceil((plan.sales - seeded) / plan.stations));
    const dayStart = Date.parse(`${seedDay(plan, day)}T01:00:00Z`);
    const params = [seedDay(plan, day), dayStart, plan.stations, day, perStation, SEED_STATION_PREFIX];
    const id = (variant: string) => `(lpad(to_hex(ms), 12, '0') || '7' || lpad(to_hex(s), 3, '0') || '${variant}' || lpad(to_hex($4::bigint * 100000 + n), 15, '0'))::uuid`;
    await client.query('BEGIN');
    await client.query(
      `${SALE_OF_DAY}
       INSERT INTO sale (sale_id, station_id, seq, business_day, occurred_at, currency, subtotal_minor, discount_minor, vat_minor, total_minor, line_count, vat_breakdown)
       SELECT ${id('8')}, $6 || lpad(s::text, 3, '0'), $4::bigint * $5 + n, $1::date, to_timestamp(ms / 1000.0), 'CNY', total, 0, vat, total, 1,
              json_build_array(json_build_object('vatRateBp', rate, 'grossMinor', total, 'vatMinor', vat))
         FROM (SELECT *, (total * rate * 2 + 10000 + rate) / (2 * (10000 + rate)) AS vat FROM g) g ORDER BY ms, s`,
      params,
    );
    await client.query(
      `${SALE_OF_DAY}
       INSERT INTO tender (tender_id, station_id, sale_id, purpose, kind, state, business_day, currency, amount_minor, scheme, last_seq)
       SELECT ${id('9')}, $6 || lpad(s::text, 3, '0'), ${id('8')}, 'payment', (ARRAY['card', 'card', 'cash', 'qr'])[1 + n % 4], 'approved', $1::date, 'CNY', total,
              (ARRAY['unionpay', 'visa', '', 'alipay'])[1 + n % 4], $4::bigint * $5 + n
         FROM g ORDER BY ms, s`,
      params,
    );
    // The day's rollups, from the same generated rows, as the ingest would have maintained them.
    await client.query(
      `${SALE_OF_DAY}
       INSERT INTO daily_sales (business_day, station_id, currency, sales_count, sales_minor, vat_minor)
       SELECT $1::date, $6 || lpad(s::text, 3, '0'), 'CNY', count(*), sum(total), sum((total * rate * 2 + 10000 + rate) / (2 * (10000 + rate)))
         FROM g GROUP BY s`,
      params,
    );
    await client.query(
      `${SALE_OF_DAY}
       INSERT INTO daily_vat (business_day, station_id, currency, vat_rate_bp, gross_minor, vat_minor)
       SELECT $1::date, $6 || lpad(s::text, 3, '0'), 'CNY', rate, sum(total), sum((total * rate * 2 + 10000 + rate) / (2 * (10000 + rate)))
         FROM g GROUP BY s, rate`,
      params,
    );
    await client.query(
      `${SALE_OF_DAY}
       INSERT INTO daily_tender (business_day, station_id, currency, kind, scheme, count, amount_minor)
       SELECT $1::date, $6 || lpad(s::text, 3, '0'), 'CNY', (ARRAY['card', 'card', 'cash', 'qr'])[1 + n % 4], (ARRAY['unionpay', 'visa', '', 'alipay'])[1 + n % 4], count(*), sum(total)
         FROM g GROUP BY s, 1 + n % 4`,
      params,
    );
    await client.query('COMMIT');
    seeded += perStation * plan.stations;
    if (day % 10 === 9 || seeded >= plan.sales) progress(`  seeded ${seeded.toLocaleString('en')} sales (${day + 1} days)`);
  }
  progress('  VACUUM ANALYZE');
  await client.query('VACUUM ANALYZE');
}
