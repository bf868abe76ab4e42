/**
 * The head office's connections. One login (DATABASE_URL) runs the migrations and owns the tables;
 * it reads for the office through hq_office. Station uploads run in transactions that switch to
 * hq_ingest (SET LOCAL ROLE), a role that owns nothing and is bound by row-level security, with the
 * authenticated station set per transaction. HQ_INGEST_DATABASE_URL may name a separate login that
 * is a member of hq_ingest only, so the ingest path cannot even switch back.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { SecretSeal } from '../stations/secret-seal.ts';

const INT8 = 20;
const DATE = 1082;

/** bigint columns hold minor units and counts far below 2^53: numbers, not strings. Dates stay "YYYY-MM-DD". */
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === DATE) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface DatabaseOptions {
  readonly url: string;
  readonly ingestUrl?: string;
  /** Seals and opens the station secrets kept in station_key (hq/stations/secret-seal.ts). */
  readonly secrets: SecretSeal;
  /** Connections per pool. */
  readonly poolSize?: number;
}

export interface HqDatabase {
  readonly office: pg.Pool;
  readonly ingest: pg.Pool;
  readonly secrets: SecretSeal;
  close(): Promise<void>;
}

function pool(connectionString: string, max: number, log: (line: string) => void): pg.Pool {
  const created = new pg.Pool({ connectionString, max, types, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 });
  // An idle connection that dies (the server restarted) must not crash the process; the pool drops it.
  created.on('error', (error) => log(`database connection lost: ${error.message}`));
  // So must one that is checked out or connecting when the server dies: its query fails on its own,
  // and without a listener the client's 'error' event would be thrown at the process.
  created.on('connect', (client) => client.on('error', () => undefined));
  return created;
}

export function openDatabase(options: DatabaseOptions, log: (line: string) => void = () => {}): HqDatabase {
  const size = options.poolSize ?? 10;
  const office = pool(options.url, Math.max(2, Math.ceil(size / 4)), log);
  const ingest = pool(options.ingestUrl ?? options.url, size, log);
  return {
    office,
    ingest,
    secrets: options.secrets,
    close: async () => {
      await Promise.all([office.end(), ingest.end()]);
    },
  };
}

/**
 * Runs `work` on a connection of the pool. A checked-out connection has no error listener of the
 * pool's; if the server goes away between two statements (a kill -9 of PostgreSQL) the error would
 * be thrown at the process. It is caught here, and a connection that failed is discarded, not reused.
 */
export async function withClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  const onError = (error: Error) => {
    failure = error;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } finally {
    client.removeListener('error', onError);
    client.release(failure);
  }
}

/** Runs `work` in a transaction, rolled back on any error. */
export async function inTransaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * A transaction as one station: the role switches to hq_ingest and the station id comes from the
 * authenticated credential, never from what the station sent. Both end with the transaction.
 */
export async function asStation<T>(client: pg.ClientBase, stationId: string, work: () => Promise<T>): Promise<T> {
  return inTransaction(client, async () => {
    await client.query("SET LOCAL ROLE hq_ingest");
    await client.query(prepared("SELECT set_config('hq.station_id', $1, true)", [stationId]));
    return work();
  });
}

const statementNames = new Map<string, string>();

/**
 * A named (prepared) statement: each connection parses and plans it once and then only binds and
 * runs it, which the ingest, a few statements per batch and thousands of batches, notices.
 */
export function prepared(text: string, values: readonly unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `hq_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return { name, text, values: [...values] };
}

/**
 * Inserts rows in one prepared statement: each column goes as one typed array and the rows come out
 * of unnest, cheaper on both sides than JSON records (no keys repeated per row, nothing for
 * PostgreSQL to build into jsonb and take apart again).
 */
export async function insertRecords(
  client: pg.ClientBase,
  table: string,
  columns: Readonly<Record<string, string>>,
  rows: readonly object[],
  conflict = '',
): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  const arrays = names.map((name, index) => `$${index + 1}::${columns[name]}[]`).join(', ');
  const text = `INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${arrays}) ${conflict}`;
  await client.query(prepared(text, names.map((name) => rows.map((row) => (row as Record<string, unknown>)[name]))));
}
