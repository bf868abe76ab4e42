/**
 * A fresh, migrated head-office database per test file, in the cluster the global setup started.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type HqDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';

export interface TestDatabase {
  readonly url: string;
  readonly database: HqDatabase;
  /**
   * The cluster's superuser, on the same database: for setting up what a test needs and for reading
   * what was stored. Never for the checks of row-level security, which a superuser bypasses.
   */
  readonly admin: pg.Pool;
  drop(): Promise<void>;
}

/** `serverUrl`: a cluster's URL (its postgres database); by default the shared test cluster. */
export async function createTestDatabase(serverUrl: string = inject('hqPostgresUrl')): Promise<TestDatabase> {
  const name = `hq_test_${randomBytes(6).toString('hex')}`;
  const server = new pg.Client(serverUrl);
  await server.connect();
  await server.query(`CREATE DATABASE ${name}`);
  await server.end();
  const url = withDatabase(serverUrl, name);
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  // Tests that kill PostgreSQL take the admin's connections down too; the pool reconnects.
  admin.on('error', () => {});
  admin.on('connect', (client) => client.on('error', () => {}));
  const migrating = await admin.connect();
  await migrate(migrating).finally(() => migrating.release());
  const database = openDatabase({ url });
  return {
    url,
    database,
    admin,
    drop: async () => {
      await database.close();
      await admin.end();
      const again = new pg.Client(serverUrl);
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
