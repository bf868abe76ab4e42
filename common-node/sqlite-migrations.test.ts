import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion, type MigrationPlan } from './sqlite-migrations.ts';

const plan = (migrations: MigrationPlan['migrations']): MigrationPlan => ({ name: 'journal', owner: 'this station', migrations });

describe('versioned SQLite migrations', () => {
  it('applies the steps in order, SQL and code alike, and records the version', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db, plan(['CREATE TABLE a (x INTEGER)', (d) => d.exec('INSERT INTO a VALUES (7)')]));
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT x FROM a').get()).toEqual({ x: 7 });
  });

  it('applies only the steps a file has not had', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db, plan(['CREATE TABLE a (x INTEGER)']));
    migrate(db, plan(['CREATE TABLE a (x INTEGER)', 'CREATE TABLE b (y INTEGER)']));
    expect(schemaVersion(db)).toBe(2);
  });

  it('leaves the file at the previous version when a step fails', () => {
    const db = new DatabaseSync(':memory:');
    expect(() => migrate(db, plan(['CREATE TABLE a (x INTEGER)', 'CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1)']))).toThrow(/nowhere/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({ n: 0 });
  });

  it('refuses a file newer than the plan, naming both versions', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('PRAGMA user_version = 5');
    expect(() => migrate(db, plan(['SELECT 1']))).toThrow("journal schema version 5 is newer than this station's 1; refusing to open it");
  });

  it('refuses to finish with a broken foreign key, and turns foreign keys back on', () => {
    const db = new DatabaseSync(':memory:');
    expect(() => migrate(db, plan(['CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p (id)); INSERT INTO c VALUES (9)']))).toThrow('journal has 1 foreign key violations after migration');
    expect(db.prepare('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
  });
});
