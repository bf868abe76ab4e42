/**
 * The migration of a real v2 journal, made by the station before the sale redesign
 * (test/fixtures/journal-v2/), to v3: every payment it holds is found as a sale, with its card legs,
 * its refunds and voids and its batch; nothing is lost. Then on to v5, which drops the PAN vault.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../common-node/sqlite-migrations.ts';
import { JOURNAL_SCHEMA_VERSION } from './journal-schema.ts';
import { Journal } from './journal.ts';

const FIXTURE = resolve(import.meta.dirname, '..', '..', 'test', 'fixtures', 'journal-v2');

function openFixture(): { journal: Journal; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'journal-migration-'));
  const path = join(dir, 'journal.sqlite');
  copyFileSync(join(FIXTURE, 'journal.sqlite'), path);
  return { journal: new Journal(path), path };
}

function legacyRows(): { id: number; payment_id: string; kind: string; status: string; amount_minor: number }[] {
  const db = new DatabaseSync(join(FIXTURE, 'journal.sqlite'), { readOnly: true });
  try {
    expect(schemaVersion(db)).toBe(2);
    return db.prepare('SELECT id, payment_id, kind, status, amount_minor FROM transactions ORDER BY id').all() as never;
  } finally {
    db.close();
  }
}

describe('journal migration v2 → v3', () => {
  it('finds every payment of the old journal as a sale, oldest first, with the status its last attempt earned', () => {
    const { journal } = openFixture();
    const sales = journal.sales.page(undefined, 100).reverse();
    const payments = new Set(legacyRows().filter((row) => row.kind === 'purchase').map((row) => row.payment_id.replace(/\/pin-\d+$/, '')));
    expect(sales).toHaveLength(payments.size);
    expect(sales.map((sale) => [sale.receiptNumber, sale.total.amountMinor, sale.status, sale.tenders.map((tender) => tender.state)])).toEqual([
      ['000001', 1800, 'partly_refunded', ['approved']],
      ['000002', 450, 'paid', ['approved']],
      ['000003', 3900, 'cancelled', ['declined']],
      ['000004', 2500, 'voided', ['voided']],
      ['000005', 990, 'refunded', ['approved']],
      ['000006', 150, 'cancelled', ['declined']],
      ['000007', 200, 'cancelled', ['failed']],
      ['000008', 690, 'tendering', ['in_progress']],
    ]);
    expect(sales.every((sale) => sale.legacy)).toBe(true);
    expect(journal.schemaVersion()).toBe(JOURNAL_SCHEMA_VERSION);
    journal.close();
  });

  it('keeps every row as a card leg with its id; PIN retries are attempts of one tender', () => {
    const { journal } = openFixture();
    const rows = legacyRows();
    for (const row of rows) expect(journal.legs.row(row.id), `row ${row.id}`).toMatchObject({ kind: row.kind, status: row.status, amount: { amountMinor: row.amount_minor } });
    const [, retried] = journal.sales.page(undefined, 100).reverse();
    const sale = journal.sales.load(retried!.id)!;
    expect(sale.tenders[0]!.legs.map((leg) => [leg.attempt, leg.responseCode, leg.mti])).toEqual([
      [1, '55', '0200'],
      [2, '00', '0200'],
    ]);
    const refunded = journal.sales.load(journal.sales.page(undefined, 100).at(-1)!.id)!;
    expect(refunded.tenders[0]!.legs.map((leg) => leg.kind)).toEqual(['purchase', 'refund']);
    expect(refunded).toMatchObject({ refunded: { amountMinor: 300 }, paid: { amountMinor: 1800 } });
    // The balance inquiry is no sale's: a leg of no tender.
    expect(journal.legs.row(13)).toMatchObject({ kind: 'balance_inquiry', tenderId: undefined });
    journal.close();
  });

  it('drops the PAN vault and its sealed PANs (v5), and keeps the crash-pending purchase reversible: a reversal needs no PAN', () => {
    const { journal, path } = openFixture();
    const db = new DatabaseSync(path, { readOnly: true });
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'pan_vault'").get()).toBeUndefined();
    db.close();
    expect(journal.legs.pending().map((leg) => leg.id)).toEqual([16]);
    expect(journal.sales.current().map((sale) => sale.receiptNumber)).toEqual(['000008']);
    journal.close();
  });

  it('keeps the closed batch report as it was, and counts the open batch without the PIN retries', () => {
    const { journal } = openFixture();
    expect(journal.batches.closed(5).map((report) => [report.batchNumber, report.totals.debits.amount.amountMinor, report.totals.credits.amount.amountMinor])).toEqual([['000001', 2250, 300]]);
    const open = journal.batches.open();
    const totals = Object.fromEntries(journal.totals.read('batch', open.id).map((row) => [`${row.metric}:${row.key}`, [row.count, row.amountMinor]]));
    // Batch 2: the JCB purchase 9.90 stands (its refund is a credit), the Mastercard one was voided.
    expect(totals).toEqual({
      'debit:jcb': [1, 990],
      'credit:jcb': [1, 990],
      'void:purchase': [1, 2500],
      'card_tender:approved': [1, 990],
      'card_tender:voided': [1, 2500],
      'card_tender:declined': [1, 150],
      'card_tender:failed': [1, 200],
    });
    journal.close();
  });

  it('carries the counters on: new receipts and tenders never reuse a number', () => {
    const { journal } = openFixture();
    expect(journal.atomically(() => journal.counters.next('receipt'))).toBe(9);
    expect(journal.atomically(() => journal.counters.next('tender'))).toBe(9);
    expect(journal.nextStan()).toBe('000019');
    journal.close();
  });
});
