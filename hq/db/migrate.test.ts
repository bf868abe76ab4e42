/**
 * The migrations as a managed server runs them: the login owns its database but is no superuser and
 * may not create roles; an administrator made the group roles and granted them beforehand.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DemoStation, sequenced } from '../../common/head-office/demo-events.ts';
import { UPLOAD_SCHEMA_VERSION } from '../../common/head-office/upload-schema.ts';
import { uuidV7 } from '../../common/head-office/uuid-v7.ts';
import { ingestBatch } from '../ingest/ingest-batch.ts';
import { headOfficeReport } from '../reports/report-queries.ts';
import { enrolStation } from '../stations/stations.ts';
import { withDatabase } from '../test-support/test-database.ts';
import { openDatabase } from './database.ts';
import { migrate, migrationFiles } from './migrate.ts';

const serverUrl = inject('hqPostgresUrl');
const suffix = randomBytes(4).toString('hex');
const login = `hq_app_${suffix}`;
const name = `hq_managed_${suffix}`;
const admin = new pg.Client(serverUrl);

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`DROP ROLE IF EXISTS ${login}`);
  await admin.end();
});

describe('migrations on a managed server', () => {
  it('run as a plain owner login, and the service works through it', async () => {
    await admin.connect();
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

    const database = openDatabase({ url: url.toString() });
    try {
      await enrolStation(database.office, { stationId: 'M1', shopId: 'SH01' });
      const events = sequenced(new DemoStation({ stationId: 'M1', seed: 5 }).sale().events, 1);
      expect(await ingestBatch(database.ingest, 'M1', { schemaVersion: UPLOAD_SCHEMA_VERSION, stationId: 'M1', batchId: uuidV7(), stationLastSeq: events.length, events })).toMatchObject({ ok: true });
      // The owner is bound by FORCE ROW LEVEL SECURITY too; it reads through hq_office's policy.
      const report = await headOfficeReport(database.office, { from: '2026-01-05', to: '2026-01-05', silentAfterMinutes: 60 });
      expect(report.byStationDay.map((row) => [row.stationId, row.salesCount])).toEqual([['M1', 1]]);
    } finally {
      await database.close();
    }
  });
});
