/**
 * A fresh, migrated head-office database per test file, in the cluster the global setup started.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type HqDatabase } from '../db/database.ts';
import { bootstrapDatabase } from '../db/bootstrap.ts';
import { migrate } from '../db/migrate.ts';
import { SecretSeal } from '../stations/secret-seal.ts';

export interface TestDatabase {
  /** The owner login's URL (what DATABASE_URL would be). */
  readonly url: string;
  /** The service's connections, as `npm run hq` makes them: the owner login and the upload login. */
  readonly database: HqDatabase;
  /**
   * The cluster's superuser, on the same database: for setting up what a test needs and for reading
   * what was stored. Never for the checks of row-level security, which a superuser bypasses.
   */
  readonly admin: pg.Pool;
  drop(): Promise<void>;
}

/** `serverUrl`: a cluster's superuser URL (its postgres database); by default the shared test cluster. */
export async function createTestDatabase(serverUrl: string = inject('hqPostgresUrl')): Promise<TestDatabase> {
  const name = `hq_test_${randomBytes(6).toString('hex')}`;
  const logins = await bootstrapDatabase(serverUrl, name);
  const owner = new pg.Client(logins.url);
  await owner.connect();
  await migrate(owner).finally(() => owner.end());
  const admin = new pg.Pool({ connectionString: withDatabase(serverUrl, name), max: 2 });
  // Tests that kill PostgreSQL take the admin's connections down too; the pool reconnects.
  admin.on('error', () => {});
  admin.on('connect', (client) => client.on('error', () => {}));
  const database = openDatabase({ ...logins, secrets: new SecretSeal(randomBytes(32)) });
  return {
    url: logins.url,
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
