/**
 * Versioned PostgreSQL migrations: the numbered .sql files in ./migrations, applied in order, each
 * in its own transaction and recorded in schema_migration, so a crash mid-way leaves the database at
 * the previous version. An advisory lock keeps two head-office processes from migrating at once.
 * A database newer than this code is refused.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');
/** Any fixed number: the key of the advisory lock the migrating process holds. */
const MIGRATION_LOCK = 0x48_51_4d_47; // "HQMG"

export interface MigrationFile {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export function migrationFiles(): MigrationFile[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^\d{4}-[a-z0-9-]+\.sql$/.test(file))
    .sort()
    .map((file, index) => {
      const version = Number(file.slice(0, 4));
      if (version !== index + 1) throw new Error(`migration ${file} is out of order: expected number ${index + 1}`);
      return { version, name: file.slice(5, -4), sql: readFileSync(join(MIGRATIONS_DIR, file), 'utf8') };
    });
}

/** Brings the database to the newest schema; returns the version it is at. */
export async function migrate(client: pg.ClientBase): Promise<number> {
  const files = migrationFiles();
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migration (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migration');
    const current = rows[0]?.version ?? 0;
    if (current > files.length) throw new Error(`the head-office database is at schema version ${current}, newer than this code's ${files.length}; refusing to use it`);
    for (const file of files.slice(current)) {
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query('INSERT INTO schema_migration (version, name) VALUES ($1, $2)', [file.version, file.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file.version} (${file.name}) failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return files.length;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
