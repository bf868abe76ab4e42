/**
 * Where the head office's data lives: DATABASE_URL when it is set (an existing or managed server),
 * else a private cluster in the head office's data directory, started on demand, its database owned
 * by a login that is no superuser, and uploads through a login that is only a member of hq_ingest
 * (hq/db/bootstrap.ts). Migrations run on every start, as the owner, so the schema is always the code's.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPrivateCluster } from '../postgres/private-cluster.ts';
import { sealStoredSecrets } from '../stations/stations.ts';
import { loadSecretSeal, secretKeyFile } from '../stations/secret-seal.ts';
import { bootstrapDatabase } from './bootstrap.ts';
import { openDatabase, type HqDatabase } from './database.ts';
import { migrate } from './migrate.ts';

export const PRIVATE_DATABASE = 'hq';

export function hqDataDir(): string {
  return process.env.HQ_DATA_DIR ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'pos-head-office');
}

export interface ResolvedDatabase {
  readonly url: string;
  /** The upload login, when this code made it (the private cluster). */
  readonly ingestUrl?: string;
  /** Where it came from, for the start-up line. */
  readonly description: string;
  /** Stops the private cluster if this process started it. */
  release(): void;
}

export async function resolveDatabase(log: (line: string) => void = () => {}): Promise<ResolvedDatabase> {
  const fromEnvironment = process.env.DATABASE_URL;
  if (fromEnvironment) {
    await migrateAt(fromEnvironment);
    return { url: fromEnvironment, description: 'DATABASE_URL', release: () => {} };
  }
  const dir = join(hqDataDir(), 'postgres');
  const cluster = startPrivateCluster({ dir });
  log(`private PostgreSQL cluster in ${dir}`);
  const logins = await bootstrapDatabase(cluster.url(), PRIVATE_DATABASE);
  await migrateAt(logins.url);
  return { ...logins, description: `private cluster ${dir}`, release: () => (cluster.startedNow && process.env.HQ_KEEP_POSTGRES !== '1' ? cluster.stop() : undefined) };
}

async function migrateAt(url: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await migrate(client);
  } finally {
    await client.end();
  }
}

export interface OpenHeadOffice {
  readonly database: HqDatabase;
  readonly resolved: ResolvedDatabase;
  close(): Promise<void>;
}

/**
 * The head office's database as `npm run hq` and its command-line tools use it: resolved, migrated,
 * opened with the station-secret key (HQ_SECRET_KEY_FILE, or beside the data), and any secret still
 * kept in clear sealed. Uploads use HQ_INGEST_DATABASE_URL, or the private cluster's upload login.
 */
export async function openHeadOffice(options: { poolSize?: number; log?: (line: string) => void } = {}): Promise<OpenHeadOffice> {
  const log = options.log ?? (() => {});
  const resolved = await resolveDatabase(log);
  const ingestUrl = process.env.HQ_INGEST_DATABASE_URL || resolved.ingestUrl;
  const database = openDatabase(
    { url: resolved.url, ...(ingestUrl ? { ingestUrl } : {}), secrets: loadSecretSeal(secretKeyFile(hqDataDir())), ...(options.poolSize ? { poolSize: options.poolSize } : {}) },
    log,
  );
  try {
    const sealed = await sealStoredSecrets(database);
    if (sealed > 0) log(`sealed ${sealed} station secrets kept in clear under key-encryption key ${database.secrets.keyId}`);
  } catch (error) {
    await database.close();
    resolved.release();
    throw error;
  }
  return {
    database,
    resolved,
    close: async () => {
      await database.close();
      resolved.release();
    },
  };
}
