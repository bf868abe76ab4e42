import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { BatchReport } from '../../common/acquirer.ts';
import { money } from '../../common/money.ts';
import type { DomainEvent } from '../../common/sale/events.ts';
import { uuidV7At } from '../../common/uuid-v7.ts';
import { cardTenderIn, purchaseLeg } from '../test-support/journal-fixtures.ts';
import { Journal } from './journal.ts';
import { JOURNAL_SCHEMA_VERSION } from './journal-schema.ts';
import { deleteRetiredVaultKey, RETIRED_VAULT_KEY_FILE } from './retired-vault-key.ts';

const PAN = '6212345678901232';
const cardTender = cardTenderIn;
const pending = purchaseLeg;

const dataDir = () => mkdtempSync(join(tmpdir(), 'journal-'));
const REPORT = { batchNumber: '000001', totals: { debits: { amount: money(0, 'CNY') }, credits: { amount: money(0, 'CNY') } } } as BatchReport;

/** The journal file exactly as the first station (schema v1, no user_version) left it. */
function writeV1Journal(path: string): void {
  const db = new DatabaseSync(path);
  db.exec(`
    CREATE TABLE transactions (
      id INTEGER PRIMARY KEY, payment_id TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('purchase')), amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0), currency TEXT NOT NULL,
      masked_pan TEXT NOT NULL CHECK (masked_pan GLOB '[0-9]*[*]*[0-9]' OR masked_pan GLOB '[*]*'), scheme TEXT NOT NULL,
      entry_mode TEXT NOT NULL, terminal_id TEXT NOT NULL, stan TEXT NOT NULL, transmitted_at TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'failed')),
      response_code TEXT, approval_code TEXT, rrn TEXT
    );
    CREATE INDEX transactions_status ON transactions (status);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO counters VALUES ('stan', 41);
    INSERT INTO transactions VALUES
      (1, 'p1', '2026-11-20T09:00:00.000Z', '2026-11-20T09:00:01.000Z', 'purchase', 1800, 'CNY', '621234******1232', 'unionpay', '021', 'POS00001', '000040', '1120090000', 'approved', '00', '123456', '632409000001'),
      (2, 'p2', '2026-11-20T09:05:00.000Z', '2026-11-20T09:05:00.000Z', 'purchase', 500, 'CNY', '411111******0013', 'visa', '021', 'POS00001', '000041', '1120090500', 'pending', NULL, NULL, NULL);
  `);
  db.close();
}

describe('journal', () => {
  it('allocates STANs that survive a restart and wrap after 999999', () => {
    const path = join(dataDir(), 'journal.sqlite');
    const first = new Journal(path);
    expect([first.nextStan(), first.nextStan()]).toEqual(['000001', '000002']);
    first.close();
    const again = new Journal(path);
    expect(again.nextStan()).toBe('000003');
    again.close();
  });

  it('writes a leg before the request, in the open batch, and completes it with the answer: a redacted summary, never the message', () => {
    const journal = new Journal(':memory:', { now: () => new Date('2026-11-21T10:20:30Z') });
    const tender = cardTender(journal);
    const id = journal.legs.record(pending(tender, '000001'));
    expect(journal.legs.pending().map((row) => row.id)).toEqual([id]);
    journal.legs.complete(id, { status: 'approved', responseCode: '00', approvalCode: '123456', rrn: '632510000001' });
    expect(journal.legs.pending()).toEqual([]);
    expect(journal.legs.ofTender(tender)).toMatchObject([
      { id, tenderId: tender, attempt: 1, mti: '0200', processingCode: '000000', amount: { amountMinor: 1800 }, transmittedAt: '1121102030', stan: '000001', entryMode: '021', maskedPan: '621234******1232', scheme: 'unionpay', status: 'approved', responseCode: '00', approvalCode: '123456', rrn: '632510000001', batchNumber: '000001' },
    ]);
    expect(journal.legs.purchaseByRrn('632510000001')?.id).toBe(id);
    expect(() => journal.legs.complete(id, { status: 'declined' })).toThrow(/not pending/);
  });

  it('keeps the batch totals as legs change: approved adds, a void takes away and counts', () => {
    const journal = new Journal(':memory:');
    const tender = cardTender(journal);
    const id = journal.legs.record(pending(tender, '000001'));
    journal.legs.complete(id, { status: 'approved', responseCode: '00', approvalCode: '123456', rrn: '632510000001' });
    const totals = () => Object.fromEntries(journal.totals.read('batch', journal.batches.open().id).map((row) => [`${row.metric}:${row.key}`, [row.count, row.amountMinor]]));
    expect(totals()).toEqual({ 'debit:unionpay': [1, 1800] });
    journal.legs.transition(id, ['approved'], 'reversal_pending');
    journal.legs.transition(id, ['reversal_pending'], 'voided');
    expect(totals()).toEqual({ 'debit:unionpay': [0, 0], 'void:purchase': [1, 1800] });
  });

  it('yields every change\'s domain events in its own transaction: a handler\'s outbox row commits with the change, listeners hear it after the commit, nothing of a rollback', () => {
    const journal = new Journal(':memory:');
    const heard: DomainEvent['type'][] = [];
    journal.uow.subscribe((event) => heard.push(event.type));
    // Stands in for the head office's outbox writer (docs/head-office.md): one draft per card leg journaled.
    journal.uow.handleInTransaction((event) => {
      if (event.type !== 'card_leg.recorded') return;
      const { leg } = event;
      journal.outbox.append({
        eventId: uuidV7At(Date.parse(event.at)),
        stationId: 'POS00001',
        occurredAt: event.at,
        type: 'card_outcome',
        data: { tenderId: uuidV7At(0), saleId: event.saleId!, scheme: leg.scheme, maskedPan: leg.maskedPan, entryMode: 'swipe', result: 'failed' },
      });
    });
    const tender = cardTender(journal);
    expect(heard).toEqual(['sale.opened', 'tender.started']);
    expect(() =>
      journal.atomically(() => {
        journal.legs.record(pending(tender, '000001'));
        expect(journal.outbox.lastSeq()).toBe(1);
        throw new Error('the request could not be built');
      }),
    ).toThrow();
    expect(heard).toHaveLength(2);
    expect(journal.outbox.pending(10)).toEqual([]);
    journal.legs.record(pending(tender, '000002'));
    expect(heard.at(-1)).toBe('card_leg.recorded');
    const [appended] = journal.outbox.pending(10);
    expect(appended).toMatchObject({ seq: 1, type: 'card_outcome', data: { maskedPan: '621234******1232' } });
    expect(JSON.stringify(journal.outbox.pending(10))).not.toContain(PAN);
  });

  it('pages through every sale newest first by keyset on the time-ordered id', () => {
    const journal = new Journal(':memory:');
    for (let i = 0; i < 7; i++) cardTender(journal);
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = journal.sales.page(before, 3);
      if (page.length === 0) break;
      seen.push(...page.map((sale) => sale.id));
      before = page.at(-1)!.id;
    }
    expect(seen).toHaveLength(7);
    expect([...seen].sort().reverse()).toEqual(seen);
    expect(journal.sales.load(seen[0]!)).toMatchObject({ status: 'tendering', totals: { total: money(1500, 'CNY') }, lines: [{ sku: 'COF-001' }] });
  });

  it('refuses to store anything that is not a masked PAN', () => {
    const journal = new Journal(':memory:');
    const tender = cardTender(journal);
    expect(() => journal.legs.record({ ...pending(tender, '000002'), maskedPan: PAN })).toThrow(/masked_pan/);
    for (const leaky of ['6212345678901232*1', '62123*5678901232', '621234******12321', '1234']) {
      expect(() => journal.legs.record({ ...pending(tender, '000003'), maskedPan: leaky }), leaky).toThrow(/masked_pan/);
    }
  });

  it('keeps no PAN on disk: since v5 the journal has no PAN vault, and a leg holds the masked PAN only', () => {
    const dir = dataDir();
    const journal = new Journal(join(dir, 'journal.sqlite'));
    const id = journal.legs.record(pending(cardTender(journal), '000003'));
    journal.legs.complete(id, { status: 'approved', responseCode: '00', approvalCode: 'A1B2C3', rrn: '632510000002' });
    journal.closeBatch(journal.batches.open().id, 'in_balance', REPORT);
    journal.close();
    const db = new DatabaseSync(join(dir, 'journal.sqlite'), { readOnly: true });
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'pan_vault'").get()).toBeUndefined();
    db.close();
    for (const file of readdirSync(dir).filter((name) => name.startsWith('journal.sqlite'))) {
      expect(readFileSync(join(dir, file)).toString('latin1')).not.toContain(PAN);
    }
  });

  it('deletes the retired PAN-vault key file, overwritten first, and says whether there was one', () => {
    const dir = dataDir();
    const path = join(dir, ...RETIRED_VAULT_KEY_FILE.split('/'));
    mkdirSync(join(dir, 'keys'), { recursive: true });
    writeFileSync(path, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    expect(deleteRetiredVaultKey(path)).toBe(true);
    expect(existsSync(path)).toBe(false);
    expect(deleteRetiredVaultKey(path)).toBe(false);
  });

  it('closes a batch into a read-only report and opens the next number, wrapping 999999 to 000001', () => {
    const journal = new Journal(':memory:', { now: () => new Date('2026-11-21T22:00:00Z') });
    const report = REPORT;
    const next = journal.closeBatch(journal.batches.open().id, 'in_balance_after_upload', report);
    expect(next.batchNumber).toBe('000002');
    expect(journal.batches.closed(5)).toEqual([{ ...REPORT, closedAt: '2026-11-21T22:00:00.000Z', settlement: 'in_balance_after_upload' }]);
    const id = journal.legs.record(pending(cardTender(journal), '000001'));
    expect(journal.legs.row(id)?.batchNumber).toBe('000002');

    const path = join(dataDir(), 'journal.sqlite');
    new Journal(path).close();
    const db = new DatabaseSync(path);
    db.exec("UPDATE batches SET batch_number = '999999' WHERE status = 'open'");
    db.close();
    const wrapping = new Journal(path);
    expect(wrapping.closeBatch(wrapping.batches.open().id, 'in_balance', report).batchNumber).toBe('000001');
  });

  it('migrates a journal the first station left on a merchant PC, keeping every row, as a sale, and the STAN counter', () => {
    const path = join(dataDir(), 'journal.sqlite');
    writeV1Journal(path);
    const journal = new Journal(path);
    expect(journal.nextStan()).toBe('000042');
    expect(journal.legs.row(1)).toMatchObject({
      kind: 'purchase',
      status: 'approved',
      rrn: '632409000001',
      processingCode: '000000',
      merchantId: undefined,
      // v1 rows were settled by the host without a batch: they are in none, so not voidable.
      batchId: undefined,
      localDate: '1120',
    });
    expect(journal.sales.page(undefined, 5).map((sale) => [sale.receiptNumber, sale.status, sale.total.amountMinor, sale.legacy])).toEqual([
      ['000002', 'tendering', 500, true],
      ['000001', 'paid', 1800, true],
    ]);
    expect(journal.legs.pending().map((row) => row.id)).toEqual([2]);
    expect(journal.batches.open().batchNumber).toBe('000001');
    journal.close();

    const db = new DatabaseSync(path, { readOnly: true });
    expect((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(JOURNAL_SCHEMA_VERSION);
    db.close();
    // Opening it again changes nothing.
    expect(new Journal(path).legs.row(2)?.status).toBe('pending');
  });

  it('refuses a journal written by a newer station', () => {
    const path = join(dataDir(), 'journal.sqlite');
    const db = new DatabaseSync(path);
    db.exec(`PRAGMA user_version = ${JOURNAL_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new Journal(path)).toThrow(/newer than this station/);
  });
});
