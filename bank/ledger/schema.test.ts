import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_FILE_NAME, openLedger } from './ledger.ts';
import { migrate } from '../../common-node/sqlite-migrations.ts';
import { LEDGER_MIGRATIONS, LEDGER_SCHEMA_VERSION } from './schema.ts';

/** A ledger file as the v1 host left it: its schema (which never set user_version) and one posting. */
const V1_FILE = `
  CREATE TABLE accounts (
    card_id TEXT PRIMARY KEY, masked_pan TEXT NOT NULL,
    account_type TEXT NOT NULL CHECK (account_type IN ('debit', 'credit')), currency TEXT NOT NULL,
    credit_limit_minor INTEGER, available_minor INTEGER NOT NULL CHECK (available_minor >= 0)
  ) STRICT;
  CREATE TABLE postings (
    id INTEGER PRIMARY KEY, rrn TEXT NOT NULL UNIQUE, approval_code TEXT NOT NULL,
    card_id TEXT NOT NULL REFERENCES accounts (card_id), masked_pan TEXT NOT NULL, stan TEXT NOT NULL,
    tid TEXT NOT NULL, amount_minor INTEGER NOT NULL CHECK (amount_minor > 0), currency TEXT NOT NULL, posted_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
  INSERT INTO sequences VALUES ('rrn', 7);
  INSERT INTO accounts VALUES ('debit', '621234******1232', 'debit', 'CNY', NULL, 4000);
  INSERT INTO accounts VALUES ('credit', '411111******0013', 'credit', 'CNY', 9000, 6000);
  INSERT INTO postings VALUES (1, '632510000007', '123456', 'credit', '411111******0013', '000007', 'POS00001', 3000, 'CNY', '2026-11-21T10:00:00.000Z');
`;

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'ledger-schema-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('ledger schema migrations', () => {
  it('creates the current schema in a fresh file', () => {
    const ledger = openLedger(dataDir);
    expect(ledger.db.prepare('PRAGMA user_version').get()).toEqual({ user_version: LEDGER_SCHEMA_VERSION });
    const tables = ledger.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all().map((row) => row.name);
    expect(tables).toEqual([
      'accounts',
      'batch_uploads',
      'batches',
      'recent_requests',
      'sequences',
      'transactions',
      'wallet_accounts',
      'wallet_nonces',
      'wallet_notifications',
      'wallet_orders',
      'wallet_payment_codes',
      'wallet_postings',
      'wallet_refunds',
    ]);
    ledger.close();
  });

  it('carries a v1 file forward: balances, postings as settled purchases, the RRN sequence', () => {
    const v1 = new DatabaseSync(join(dataDir, LEDGER_FILE_NAME));
    v1.exec(V1_FILE);
    v1.close();

    const ledger = openLedger(dataDir);
    expect(ledger.accounts.balances('debit')).toEqual({ accountType: 'debit', currency: 'CNY', postedMinor: 4_000, availableMinor: 4_000 });
    expect(ledger.accounts.balances('credit')).toEqual({ accountType: 'credit', currency: 'CNY', postedMinor: 3_000, availableMinor: 6_000 });
    expect(ledger.transactions.findByRrn('632510000007')).toMatchObject({ kind: 'purchase', cardId: 'credit', amountMinor: 3_000, state: 'posted', batchId: undefined, merchantId: undefined });
    expect(ledger.atomically(() => ledger.transactions.nextRrnSequence())).toBe(8);
    // v1's CHECK (available_minor >= 0) is gone: a reversed, already spent refund may go below zero.
    ledger.atomically(() => ledger.accounts.adjustAvailable('debit', -5_000));
    expect(ledger.availableMinor('debit')).toBe(-1_000);
    ledger.close();
  });

  it('carries a v3 file’s staged batch uploads forward without their card (version 4, profile v4)', () => {
    const v3 = new DatabaseSync(join(dataDir, LEDGER_FILE_NAME));
    migrate(v3, { name: 'ledger', owner: 'the v3 host', migrations: LEDGER_MIGRATIONS.slice(0, 3) });
    v3.exec(`INSERT INTO accounts VALUES ('debit', '621234******1232', 'debit', 'CNY', NULL, 4000, 4000);
      INSERT INTO batch_uploads VALUES ('POS00001', '000003', '632510000009', 'purchase', 'debit', '621234******1232', '000042', '898310048160001', 1500, 'CNY', '123456', '2026-11-21T10:00:00.000Z')`);
    v3.close();

    const ledger = openLedger(dataDir);
    expect(ledger.batches.uploads('POS00001', '000003')).toEqual([
      { tid: 'POS00001', batchNumber: '000003', rrn: '632510000009', kind: 'purchase', stan: '000042', merchantId: '898310048160001', amountMinor: 1_500, currency: 'CNY', approvalCode: '123456', uploadedAt: new Date('2026-11-21T10:00:00.000Z') },
    ]);
    const columns = ledger.db.prepare("SELECT name FROM pragma_table_info('batch_uploads')").all().map((row) => row.name);
    expect(columns).not.toContain('card_id');
    expect(columns).not.toContain('masked_pan');
    ledger.close();
  });

  it('opens a migrated file again without migrating twice', () => {
    openLedger(dataDir).close();
    const ledger = openLedger(dataDir);
    expect(ledger.db.prepare('PRAGMA user_version').get()).toEqual({ user_version: LEDGER_SCHEMA_VERSION });
    ledger.close();
  });

  it('refuses a file from a newer host', () => {
    const newer = new DatabaseSync(join(dataDir, LEDGER_FILE_NAME));
    newer.exec(`PRAGMA user_version = ${LEDGER_SCHEMA_VERSION + 1}`);
    newer.close();
    expect(() => openLedger(dataDir)).toThrow(/newer than this host/);
  });
});
