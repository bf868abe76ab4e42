/**
 * The migrations as a managed server runs them: the login owns its database but is no superuser and
 * may not create roles; an administrator made the group roles and granted them beforehand.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DemoStation, sequenced } from '../../common/head-office/demo-events.ts';
import { UPLOAD_SCHEMA_VERSION } from '../../common/head-office/upload-schema.ts';
import { uuidV7 } from '../../common/head-office/uuid-v7.ts';
import { ingestJson } from '../test-support/ingest-json.ts';
import { headOfficeReport } from '../reports/report-queries.ts';
import { SecretSeal } from '../stations/secret-seal.ts';
import { enrolStation } from '../stations/stations.ts';
import { withDatabase } from '../test-support/test-database.ts';
import { openDatabase } from './database.ts';
import { migrate, migrationFiles } from './migrate.ts';

const serverUrl = inject('hqPostgresUrl');
const suffix = randomBytes(4).toString('hex');
const login = `hq_app_${suffix}`;
const name = `hq_managed_${suffix}`;
const admin = new pg.Client(serverUrl);

beforeAll(() => admin.connect());
afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`DROP ROLE IF EXISTS ${login}`);
  await admin.end();
});

describe('migrations on a managed server', () => {
  it('run as a plain owner login, and the service works through it', async () => {
    // What the provider's admin does once (docs/head-office.md, "On a managed PostgreSQL").
    await admin.query(`CREATE ROLE ${login} LOGIN NOCREATEROLE NOSUPERUSER`);
    await admin.query(`CREATE DATABASE ${name} OWNER ${login}`);
    await admin.query("DO $$ BEGIN CREATE ROLE hq_ingest NOLOGIN NOBYPASSRLS; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    await admin.query("DO $$ BEGIN CREATE ROLE hq_office NOLOGIN NOBYPASSRLS; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    await admin.query(`GRANT hq_ingest, hq_office TO ${login}`);

    const url = new URL(withDatabase(serverUrl, name));
    url.username = login;
    const owner = new pg.Client(url.toString());
    await owner.connect();
    try {
      expect(await migrate(owner)).toBe(migrationFiles().length);
      expect(await migrate(owner)).toBe(migrationFiles().length);
      expect((await owner.query('SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user')).rows[0]).toEqual({ rolsuper: false, rolcreaterole: false });
    } finally {
      await owner.end();
    }

    const database = openDatabase({ url: url.toString(), secrets: new SecretSeal(randomBytes(32)) });
    try {
      await enrolStation(database, { stationId: 'M1', shopId: 'SH01' });
      const events = sequenced(new DemoStation({ stationId: 'M1', seed: 5 }).sale().events, 1);
      expect(await ingestJson(database.ingest, 'M1', { schemaVersion: UPLOAD_SCHEMA_VERSION, stationId: 'M1', batchId: uuidV7(), stationLastSeq: events.length, events })).toMatchObject({ ok: true });
      // The owner is bound by FORCE ROW LEVEL SECURITY too; it reads through hq_office's policy.
      const report = await headOfficeReport(database.office, { from: '2026-01-05', to: '2026-01-05', silentAfterMinutes: 60 });
      expect(report.byStationDay.map((row) => [row.stationId, row.salesCount])).toEqual([['M1', 1]]);
    } finally {
      await database.close();
    }
  });
});

describe('migration 3 (keys by station, one event-log row per batch)', () => {
  it('carries a version-2 database’s events, card legs and sales over', async () => {
    const legacy = `hq_v2_${suffix}`;
    await admin.query(`CREATE DATABASE ${legacy}`);
    const client = new pg.Client(withDatabase(serverUrl, legacy));
    await client.connect();
    try {
      await client.query('CREATE TABLE schema_migration (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      for (const file of migrationFiles().slice(0, 2)) {
        await client.query(file.sql);
        await client.query('INSERT INTO schema_migration (version, name) VALUES ($1, $2)', [file.version, file.name]);
      }
      // What version 2's ingest wrote for one card sale: an event row each, and the sale's row.
      await client.query("INSERT INTO shop (shop_id, name) VALUES ('SH01', 'SH01'); INSERT INTO station (station_id, shop_id, name) VALUES ('L1', 'SH01', 'L1')");
      const events = sequenced(new DemoStation({ stationId: 'L1', seed: 40 }).sale('card').events, 1);
      for (const event of events) {
        await client.query('INSERT INTO event (event_id, station_id, seq, type, occurred_at, payload) VALUES ($1, $2, $3, $4, $5, $6)', [event.eventId, 'L1', event.seq, event.type, event.occurredAt, JSON.stringify(event)]);
      }
      const sale = events.find((event) => event.type === 'sale')!;
      if (sale.type !== 'sale') throw new Error('no sale');
      await client.query(
        `INSERT INTO sale (sale_id, station_id, seq, business_day, occurred_at, currency, subtotal_minor, discount_minor, vat_minor, total_minor, line_count)
         VALUES ($1, 'L1', 1, $2, $3, 'CNY', $4, 0, $5, $4, $6)`,
        [sale.data.saleId, sale.data.businessDay, sale.occurredAt, sale.data.totalMinor, sale.data.vatMinor, sale.data.lines.length],
      );

      expect(await migrate(client)).toBe(migrationFiles().length);
      const log = await client.query('SELECT seq::int, event_id, payload FROM event ORDER BY seq');
      expect(log.rows).toEqual(events.map((event) => ({ seq: event.seq, event_id: event.eventId, payload: event })));
      const card = events.find((event) => event.type === 'card_outcome')!;
      if (card.type !== 'card_outcome') throw new Error('no card leg');
      expect((await client.query('SELECT masked_pan, scheme FROM card_outcome')).rows).toEqual([{ masked_pan: card.data.maskedPan, scheme: card.data.scheme }]);
      expect((await client.query('SELECT vat_breakdown FROM sale')).rows).toEqual([{ vat_breakdown: sale.data.vatBreakdown }]);
      expect((await client.query('SELECT count(*)::int AS n FROM sale_line')).rows[0].n).toBe(sale.data.lines.length);
    } finally {
      await client.end();
      await admin.query(`DROP DATABASE ${legacy} WITH (FORCE)`);
    }
  });
});
