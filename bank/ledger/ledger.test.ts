import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDeckCard } from '../../common/test-deck.ts';
import { openLedger, type Ledger, type PurchasePosting } from './ledger.ts';

const debitCard: TestDeckCard = {
  id: 'debit',
  label: 'Debit',
  pan: '6212345678901232',
  expiry: '3012',
  serviceCode: '101',
  discretionary: '',
  cardholderName: 'TEST/CARD',
  pin: '1234',
  status: 'active',
  account: { type: 'debit', balanceMinor: 5_000, currency: 'CNY' },
};
const creditCard: TestDeckCard = { ...debitCard, id: 'credit', pan: '4111110000000013', account: { type: 'credit', creditLimitMinor: 9_000, currency: 'CNY' } };

let dataDir: string;
let ledger: Ledger;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'ledger-'));
  ledger = openLedger(dataDir);
});

afterEach(() => {
  ledger.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function posting(cardId: string, amountMinor: number, stan = '000001'): PurchasePosting {
  return {
    cardId,
    maskedPan: '621234******1232',
    stan,
    tid: 'POS00001',
    amountMinor,
    currency: 'CNY',
    approvalCode: '123456',
    postedAt: new Date('2026-11-21T10:00:00Z'),
    rrnFor: (sequence) => `RRN${String(sequence).padStart(9, '0')}`,
  };
}

describe('ledger', () => {
  it('seeds debit balances and credit limits, once', () => {
    expect(ledger.seedAccounts([debitCard, creditCard])).toBe(2);
    expect(ledger.availableMinor('debit')).toBe(5_000);
    expect(ledger.availableMinor('credit')).toBe(9_000);
    expect(ledger.seedAccounts([debitCard, creditCard])).toBe(0);
    expect(ledger.availableMinor('unknown')).toBeUndefined();
  });

  it('keeps balances across a restart instead of reseeding them', () => {
    ledger.seedAccounts([debitCard]);
    expect(ledger.postPurchase(posting('debit', 1_500)).ok).toBe(true);
    ledger.close();
    ledger = openLedger(dataDir);
    expect(ledger.seedAccounts([debitCard, creditCard])).toBe(1);
    expect(ledger.availableMinor('debit')).toBe(3_500);
  });

  it('debits and records the posting with an RRN from its sequence', () => {
    ledger.seedAccounts([debitCard]);
    expect(ledger.postPurchase(posting('debit', 100))).toEqual({ ok: true, rrn: 'RRN000000001' });
    expect(ledger.postPurchase(posting('debit', 200, '000002'))).toEqual({ ok: true, rrn: 'RRN000000002' });
    const db = new DatabaseSync(ledger.path, { readOnly: true });
    const rows = db.prepare('SELECT rrn, stan, tid, amount_minor, masked_pan FROM postings ORDER BY id').all();
    db.close();
    expect(rows.map((row) => ({ ...row }))).toEqual([
      { rrn: 'RRN000000001', stan: '000001', tid: 'POS00001', amount_minor: 100, masked_pan: '621234******1232' },
      { rrn: 'RRN000000002', stan: '000002', tid: 'POS00001', amount_minor: 200, masked_pan: '621234******1232' },
    ]);
  });

  it('refuses a debit beyond the available amount and changes nothing', () => {
    ledger.seedAccounts([debitCard]);
    expect(ledger.postPurchase(posting('debit', 5_001))).toEqual({ ok: false, reason: 'insufficient_funds' });
    expect(ledger.availableMinor('debit')).toBe(5_000);
  });

  it('reports a missing account', () => {
    expect(ledger.postPurchase(posting('nobody', 1))).toEqual({ ok: false, reason: 'no_account' });
  });

  it('rolls the whole authorization back when a write fails', () => {
    ledger.seedAccounts([debitCard]);
    const duplicateRrn = { ...posting('debit', 100), rrnFor: () => 'SAME-RRN' };
    expect(ledger.postPurchase(duplicateRrn).ok).toBe(true);
    expect(() => ledger.postPurchase(duplicateRrn)).toThrow(/UNIQUE/);
    expect(ledger.availableMinor('debit')).toBe(4_900);
  });

  it('runs in WAL mode and keeps no full PAN', () => {
    ledger.seedAccounts([debitCard, creditCard]);
    ledger.postPurchase(posting('debit', 100));
    const db = new DatabaseSync(ledger.path, { readOnly: true });
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual(expect.objectContaining({ journal_mode: 'wal' }));
    db.close();
    for (const suffix of ['', '-wal']) {
      const bytes = readFileSync(ledger.path + suffix).toString('latin1');
      expect(bytes).not.toContain(debitCard.pan);
      expect(bytes).not.toContain(creditCard.pan);
    }
  });
});
