/**
 * Versioned SQLite migrations, shared by the station's journal and the host's ledger. A database
 * file may already exist on a merchant's PC, so a schema change is always a forward migration of
 * the file: numbered steps applied in order, each in its own transaction and recorded in PRAGMA
 * user_version, so a crash mid-way leaves the file at the previous version.
 *
 * Table rebuilds (SQLite's 12-step procedure for changing a constraint) drop and rename tables that
 * others reference, so the steps run with foreign keys off and the keys are checked once at the end.
 */
import type { DatabaseSync } from 'node:sqlite';

/** A step: SQL, or code for a step SQL alone cannot express (it runs inside the step's transaction). */
export type Migration = string | ((db: DatabaseSync) => void);

export interface MigrationPlan {
  /** What the file is, for messages: "journal", "ledger". */
  readonly name: string;
  /** Who opens it, for the refusal of a newer file: "this station", "this host". */
  readonly owner: string;
  readonly migrations: readonly Migration[];
}

export function schemaVersion(db: DatabaseSync): number {
  return (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
}

/** Brings the file to the plan's last version. Refuses a file newer than the plan. */
export function migrate(db: DatabaseSync, plan: MigrationPlan): void {
  const target = plan.migrations.length;
  const current = schemaVersion(db);
  if (current > target) {
    throw new Error(`${plan.name} schema version ${current} is newer than ${plan.owner}'s ${target}; refusing to open it`);
  }
  db.exec('PRAGMA foreign_keys = OFF');
  try {
    for (let version = current + 1; version <= target; version++) {
      const step = plan.migrations[version - 1]!;
      db.exec('BEGIN IMMEDIATE');
      try {
        if (typeof step === 'string') db.exec(step);
        else step(db);
        db.exec(`PRAGMA user_version = ${version}`);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    }
    const violations = db.prepare('PRAGMA foreign_key_check').all();
    if (violations.length > 0) throw new Error(`${plan.name} has ${violations.length} foreign key violations after migration`);
  } finally {
    db.exec('PRAGMA foreign_keys = ON');
  }
}
