/**
 * `npm run bench:hq -- --profile`: where the head office spends its time during the ingest runs.
 * PostgreSQL's side from pg_stat_statements (time per statement, summed over every call); the
 * service's from its V8 CPU profile (bench/cpu-profile-summary.ts).
 */
import type pg from 'pg';
import { summarizeCpuProfile } from './cpu-profile-summary.ts';

export const PROFILE_POSTGRES_SETTINGS = { shared_preload_libraries: "'pg_stat_statements'", 'pg_stat_statements.track': "'all'" } as const;

export async function resetStatementStats(client: pg.ClientBase): Promise<void> {
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await client.query('SELECT pg_stat_statements_reset()');
}

/** The statements that took most of PostgreSQL's time since the reset, per sale. */
export async function statementProfile(client: pg.ClientBase, sales: number, top = 12): Promise<string[]> {
  const { rows } = await client.query<{ query: string; calls: number; total_ms: number; rows: number; wal_bytes: number }>(
    `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls::float8 AS calls, total_exec_time AS total_ms, rows::float8 AS rows, wal_bytes::float8 AS wal_bytes
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY total_exec_time DESC LIMIT $1`,
    [top],
  );
  const total = rows.reduce((sum, row) => sum + row.total_ms, 0);
  return [
    `PostgreSQL statements (pg_stat_statements, execution time; ${((total * 1000) / sales).toFixed(1)} µs per sale in these ${rows.length})`,
    ...rows.map(
      (row) =>
        `  ${((row.total_ms * 1000) / sales).toFixed(1).padStart(6)} µs/sale  ${String(row.calls).padStart(7)} calls  ${(row.wal_bytes / sales).toFixed(0).padStart(6)} WAL B/sale  ${row.query.slice(0, 110)}`,
    ),
  ];
}

export function serviceProfile(file: string, top = 30): string[] {
  const summary = summarizeCpuProfile(file, top);
  return [
    `Service CPU profile (busy in ${summary.busyPercent.toFixed(0)}% of samples), self time by area`,
    ...summary.areas.map(({ name, percent }) => `  ${percent.toFixed(1).padStart(5)}%  ${name}`),
    'Top functions by self time',
    ...summary.functions.map(({ name, percent }) => `  ${percent.toFixed(1).padStart(5)}%  ${name}`),
  ];
}
