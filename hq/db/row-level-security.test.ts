/**
 * Row-level security, proven against the real server through roles that do not own the tables and
 * cannot bypass RLS: the product's own ingest path (SET LOCAL ROLE hq_ingest) and a separate login
 * that is a member of hq_ingest only, as HQ_INGEST_DATABASE_URL would name.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoStation, sequenced } from '../../common/head-office/demo-events.ts';
import { UPLOAD_SCHEMA_VERSION, type UploadEvent } from '../../common/head-office/upload-schema.ts';
import { uuidV7 } from '../../common/head-office/uuid-v7.ts';
import { ingestJson } from '../test-support/ingest-json.ts';
import { enrolStation } from '../stations/stations.ts';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.ts';
import { asStation } from './database.ts';

const STATION_TABLES = ['station_progress', 'event_batch', 'card_outcome', 'sale', 'tender', 'sale_void', 'refund', 'shift', 'station_report', 'settlement', 'daily_sales', 'daily_vat', 'daily_tender'];

let db: TestDatabase;
let writerRole: string;
let writer: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  for (const stationId of ['A', 'B']) {
    await enrolStation(db.database, { stationId, shopId: 'SH01' });
    const events = sequenced(new DemoStation({ stationId, seed: stationId.charCodeAt(0) }).sale('cash').events, 1);
    await ingestJson(db.database.ingest, stationId, { schemaVersion: UPLOAD_SCHEMA_VERSION, stationId, batchId: uuidV7(), stationLastSeq: events.length, events });
  }
  writerRole = `hq_writer_${randomBytes(4).toString('hex')}`;
  await db.admin.query(`CREATE ROLE ${writerRole} LOGIN IN ROLE hq_ingest`);
  const url = new URL(db.url);
  url.username = writerRole;
  writer = new pg.Client(url.toString());
  await writer.connect();
});

afterAll(async () => {
  await writer.end();
  await db.admin.query(`DROP ROLE ${writerRole}`);
  await db.drop();
});

const saleRow = (stationId: string) => ({
  text: `INSERT INTO sale (sale_id, station_id, seq, business_day, occurred_at, currency, subtotal_minor, discount_minor, vat_minor, total_minor, line_count, vat_breakdown)
         VALUES ($1, $2, 99, '2026-01-05', now(), 'CNY', 100, 0, 12, 100, 1, '[{"vatRateBp":1300,"grossMinor":100,"vatMinor":12}]')`,
  values: [uuidV7(), stationId],
});

describe('card data at the head office', () => {
  it('is refused by the database itself when a card outcome carries more than a masked PAN', async () => {
    const insert = (maskedPan: string) =>
      db.admin.query(
        `INSERT INTO card_outcome (station_id, seq, tender_id, sale_id, scheme, masked_pan, entry_mode, result, occurred_at)
         VALUES ('A', 999, $1, $1, 'unionpay', $2, 'chip', 'approved', now())`,
        [uuidV7(), maskedPan],
      );
    await expect(insert('6212345678901232')).rejects.toThrow(/card_data_is_masked/);
    await expect(insert('621234;6212345678901232=2512')).rejects.toThrow(/card_data_is_masked/);
  });
});

describe('row-level security', () => {
  it('is forced on every station table, and the writing roles neither own them nor bypass RLS', async () => {
    const tables = await db.admin.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; owner: string }>(
      `SELECT relname, relrowsecurity, relforcerowsecurity, pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = ANY($1) AND relkind = 'r'`,
      [STATION_TABLES],
    );
    expect(tables.rows).toHaveLength(STATION_TABLES.length);
    for (const table of tables.rows) {
      expect(table, table.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
      expect(table.owner).not.toBe('hq_ingest');
      expect(table.owner).not.toBe(writerRole);
    }
    const roles = await db.admin.query('SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ANY($1)', [['hq_ingest', writerRole]]);
    for (const role of roles.rows) expect(role).toMatchObject({ rolsuper: false, rolbypassrls: false });
    // The service itself logs in as the owner (office reads, migrations) and as the upload login: neither is a superuser.
    const login = 'SELECT current_user AS login, rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = current_user';
    expect((await db.database.office.query(login)).rows).toEqual([{ login: 'hq_app', rolsuper: false, rolbypassrls: false, rolcreaterole: false }]);
    expect((await db.database.ingest.query(login)).rows).toEqual([{ login: 'hq_upload', rolsuper: false, rolbypassrls: false, rolcreaterole: false }]);
    expect(tables.rows.every((table) => table.owner === 'hq_app')).toBe(true);
    const policies = await db.admin.query<{ with_check: string | null }>("SELECT with_check FROM pg_policies WHERE policyname = 'station_own_rows'");
    expect(policies.rows).toHaveLength(STATION_TABLES.length);
    for (const policy of policies.rows) expect(policy.with_check).toMatch(/hq_station\(\)/);
  });

  it('refuses a row of another station through the product’s ingest path (SET LOCAL ROLE hq_ingest)', async () => {
    const client = await db.database.ingest.connect();
    try {
      await expect(asStation(client, 'A', () => client.query(saleRow('B')))).rejects.toThrow(/row-level security/);
      expect(await asStation(client, 'A', async () => (await client.query('SELECT current_user AS role')).rows[0].role)).toBe('hq_ingest');
      const visible = await asStation(client, 'A', async () => (await client.query<{ station_id: string }>('SELECT DISTINCT station_id FROM sale')).rows);
      expect(visible).toEqual([{ station_id: 'A' }]);
    } finally {
      client.release();
    }
  });

  it('refuses another station’s rows to a login that is only a member of hq_ingest', async () => {
    const inTx = async <T>(station: string | undefined, work: () => Promise<T>): Promise<T> => {
      await writer.query('BEGIN');
      try {
        if (station) await writer.query("SELECT set_config('hq.station_id', $1, true)", [station]);
        return await work();
      } finally {
        await writer.query('ROLLBACK');
      }
    };
    await expect(inTx('A', () => writer.query(saleRow('B')))).rejects.toThrow(/new row violates row-level security policy/);
    await expect(inTx('A', () => writer.query(saleRow('A')))).resolves.toBeDefined();
    // Without an authenticated station, nothing is visible and nothing can be written.
    expect((await inTx(undefined, () => writer.query('SELECT * FROM sale'))).rowCount).toBe(0);
    await expect(inTx(undefined, () => writer.query(saleRow('A')))).rejects.toThrow(/row-level security/);
    // B's rows can be neither seen, changed nor taken over by A.
    expect((await inTx('A', () => writer.query("UPDATE sale SET total_minor = 0 WHERE station_id = 'B'"))).rowCount).toBe(0);
    await expect(inTx('A', () => writer.query("UPDATE sale SET station_id = 'B' WHERE station_id = 'A'"))).rejects.toThrow(/row-level security/);
    expect((await inTx('A', () => writer.query("DELETE FROM sale WHERE station_id = 'B'")).catch((error: Error) => error))).toBeInstanceOf(Error);
    // The views over the event log (sale lines, card legs) are security_invoker: the same rule applies.
    expect((await inTx('A', () => writer.query('SELECT DISTINCT station_id FROM sale_line'))).rows).toEqual([{ station_id: 'A' }]);
    // PostgreSQL refuses COPY FROM into a table with row-level security; ingest uses INSERTs.
    await expect(inTx('A', () => writer.query('COPY sale (sale_id) FROM STDIN'))).rejects.toThrow(/COPY FROM not supported with row-level security/);
    // The station secrets are out of its reach altogether.
    await expect(inTx('A', () => writer.query('SELECT * FROM station_key'))).rejects.toThrow(/permission denied/);
    const bRows = await db.admin.query("SELECT count(*)::int AS n FROM sale WHERE station_id = 'B' AND total_minor > 0");
    expect(bRows.rows[0].n).toBe(1);
  });
});

describe('one station and another station’s ids', () => {
  it('are apart: C cannot void D’s sale, and D’s event, sale and tender ids in C’s batch touch nothing of D’s', async () => {
    const batch = (stationId: string, events: readonly UploadEvent[]) => ({ schemaVersion: UPLOAD_SCHEMA_VERSION, stationId, batchId: uuidV7(), stationLastSeq: events.at(-1)!.seq, events });
    for (const stationId of ['C', 'D']) await enrolStation(db.database, { stationId, shopId: 'SH01' });
    const c = new DemoStation({ stationId: 'C', seed: 31 });
    const d = new DemoStation({ stationId: 'D', seed: 32 });
    const sold = d.sale('card');
    const dFirst = sequenced(sold.events, 1);
    expect(await ingestJson(db.database.ingest, 'D', batch('D', dFirst))).toMatchObject({ ok: true, stored: 3 });

    // C voids D's sale: refused, as for any sale C does not hold; nothing of it is stored.
    expect(await ingestJson(db.database.ingest, 'C', batch('C', sequenced(c.voidSale(sold.sale), 1)))).toMatchObject({ ok: false, error: 'unknown_sale' });
    // C sends D's events as its own (the same event, sale and tender ids): stored as C's, like any new ids.
    const copied = sequenced(sold.events.map((event) => ({ ...event, stationId: 'C' })), 1);
    expect(await ingestJson(db.database.ingest, 'C', batch('C', copied))).toMatchObject({ ok: true, stored: 3 });

    // D is unaffected: a lost acknowledgement's resend is still a duplicate, and its own void and tender change go in.
    expect(await ingestJson(db.database.ingest, 'D', batch('D', dFirst))).toMatchObject({ ok: true, stored: 0, duplicates: 3 });
    const tenderId = sold.events.flatMap((event) => (event.type === 'tender' ? [event.data.tenderId] : []))[0]!;
    expect(await ingestJson(db.database.ingest, 'D', batch('D', sequenced(d.voidSale(sold.sale, tenderId), 4)))).toMatchObject({ ok: true, stored: 2 });
    const rows = await db.admin.query<{ station_id: string; voided: boolean; state: string; voids: number }>(
      `SELECT s.station_id, s.voided, t.state, (SELECT sum(voids_count)::int FROM daily_sales d WHERE d.station_id = s.station_id) AS voids
         FROM sale s JOIN tender t USING (station_id, sale_id) WHERE s.sale_id = $1 ORDER BY s.station_id`,
      [sold.sale.saleId],
    );
    expect(rows.rows).toEqual([
      { station_id: 'C', voided: false, state: 'approved', voids: 0 },
      { station_id: 'D', voided: true, state: 'voided', voids: 1 },
    ]);
  });
});
