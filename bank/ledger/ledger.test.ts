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
const at = new Date('2026-11-21T10:00:00Z');

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

function posting(cardId: string, amountMinor: number, stan = '000001', tid = 'POS00001'): PurchasePosting {
  return {
    cardId,
    maskedPan: '621234******1232',
    stan,
    tid,
    merchantId: '898310048160001',
    transmissionDateTime: '1121100000',
    amountMinor,
    currency: 'CNY',
    approvalCode: '123456',
    postedAt: at,
    rrnFor: (sequence) => `RRN${String(sequence).padStart(9, '0')}`,
  };
}

function readRows(sql: string): Record<string, unknown>[] {
  const db = new DatabaseSync(ledger.path, { readOnly: true });
  try {
    return db.prepare(sql).all().map((row) => ({ ...row }));
  } finally {
    db.close();
  }
}

describe('ledger', () => {
  it('seeds debit balances and credit limits, once', () => {
    expect(ledger.seedAccounts([debitCard, creditCard])).toBe(2);
    expect(ledger.accounts.balances('debit')).toEqual({ accountType: 'debit', currency: 'CNY', postedMinor: 5_000, availableMinor: 5_000 });
    expect(ledger.accounts.balances('credit')).toEqual({ accountType: 'credit', currency: 'CNY', postedMinor: 0, availableMinor: 9_000 });
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

  it('holds a purchase: available goes down, the ledger balance waits for settlement', () => {
    ledger.seedAccounts([debitCard]);
    expect(ledger.postPurchase(posting('debit', 100))).toEqual({ ok: true, rrn: 'RRN000000001' });
    expect(ledger.postPurchase(posting('debit', 200, '000002'))).toEqual({ ok: true, rrn: 'RRN000000002' });
    expect(ledger.accounts.balances('debit')).toMatchObject({ postedMinor: 5_000, availableMinor: 4_700 });
    expect(readRows('SELECT kind, rrn, stan, tid, merchant_id, transmission_date_time, amount_minor, masked_pan, state FROM transactions ORDER BY id')).toEqual([
      { kind: 'purchase', rrn: 'RRN000000001', stan: '000001', tid: 'POS00001', merchant_id: '898310048160001', transmission_date_time: '1121100000', amount_minor: 100, masked_pan: '621234******1232', state: 'pending' },
      { kind: 'purchase', rrn: 'RRN000000002', stan: '000002', tid: 'POS00001', merchant_id: '898310048160001', transmission_date_time: '1121100000', amount_minor: 200, masked_pan: '621234******1232', state: 'pending' },
    ]);
  });

  it('puts each terminal’s approvals in its own open batch', () => {
    ledger.seedAccounts([debitCard]);
    ledger.postPurchase(posting('debit', 100, '000001', 'POS00001'));
    ledger.postPurchase(posting('debit', 200, '000001', 'POS00002'));
    ledger.postPurchase(posting('debit', 300, '000002', 'POS00001'));
    const first = ledger.batches.findOpen('POS00001')!;
    expect(ledger.batches.totals(first.id)).toEqual({ creditsCount: 0, creditsMinor: 0, debitsCount: 2, debitsMinor: 400 });
    expect(ledger.batches.totals(ledger.batches.findOpen('POS00002')!.id)).toEqual({ creditsCount: 0, creditsMinor: 0, debitsCount: 1, debitsMinor: 200 });
  });

  it('refuses a purchase beyond the available amount and changes nothing', () => {
    ledger.seedAccounts([debitCard]);
    expect(ledger.postPurchase(posting('debit', 5_001))).toEqual({ ok: false, reason: 'insufficient_funds' });
    expect(ledger.availableMinor('debit')).toBe(5_000);
    expect(readRows('SELECT * FROM transactions')).toEqual([]);
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

  it('credits a refund at once and counts it against its purchase', () => {
    ledger.seedAccounts([debitCard]);
    const { rrn } = ledger.postPurchase(posting('debit', 1_000)) as { rrn: string };
    const original = ledger.transactions.findByRrn(rrn)!;
    const refund = ledger.postRefund({ ...posting('debit', 400, '000002'), original });
    expect(refund.rrn).toBe('RRN000000002');
    expect(ledger.availableMinor('debit')).toBe(4_400);
    expect(ledger.transactions.findByRrn(rrn)!.refundedMinor).toBe(400);
    expect(ledger.transactions.findByRrn(refund.rrn)).toMatchObject({ kind: 'refund', originalId: original.id, state: 'pending' });
  });

  it('reverses a purchase and a refund by undoing exactly their effect', () => {
    ledger.seedAccounts([debitCard]);
    const purchase = ledger.transactions.findByRrn((ledger.postPurchase(posting('debit', 1_000)) as { rrn: string }).rrn)!;
    const refund = ledger.transactions.findByRrn(ledger.postRefund({ ...posting('debit', 300, '000002'), original: purchase }).rrn)!;
    ledger.atomically(() => ledger.transactions.reverse(refund, '17', at));
    expect(ledger.availableMinor('debit')).toBe(4_000);
    expect(ledger.transactions.findByRrn(purchase.rrn)).toMatchObject({ refundedMinor: 0, state: 'pending' });
    ledger.atomically(() => ledger.transactions.reverse(ledger.transactions.findByRrn(purchase.rrn)!, '68', at));
    expect(ledger.availableMinor('debit')).toBe(5_000);
    expect(() => ledger.transactions.reverse(purchase, '17', at)).toThrow(/not pending/);
    expect(readRows('SELECT state, reversal_reason FROM transactions ORDER BY id')).toEqual([
      { state: 'reversed', reversal_reason: '68' },
      { state: 'reversed', reversal_reason: '17' },
    ]);
  });

  it('lets a reversed refund the cardholder already spent take a debit account below zero', () => {
    ledger.seedAccounts([debitCard]);
    const purchase = ledger.transactions.findByRrn((ledger.postPurchase(posting('debit', 5_000)) as { rrn: string }).rrn)!;
    const refund = ledger.transactions.findByRrn(ledger.postRefund({ ...posting('debit', 5_000, '000002'), original: purchase }).rrn)!;
    expect(ledger.postPurchase(posting('debit', 5_000, '000003')).ok).toBe(true);
    ledger.atomically(() => ledger.transactions.reverse(refund, '17', at));
    expect(ledger.availableMinor('debit')).toBe(-5_000);
  });

  it('settles a batch: holds become debits and refunds credits, on debit and credit accounts', () => {
    ledger.seedAccounts([debitCard, creditCard]);
    const purchase = ledger.transactions.findByRrn((ledger.postPurchase(posting('debit', 1_000)) as { rrn: string }).rrn)!;
    ledger.postRefund({ ...posting('debit', 250, '000002'), original: purchase });
    ledger.postPurchase(posting('credit', 3_000, '000003'));
    const batch = ledger.batches.findOpen('POS00001')!;
    const totals = ledger.batches.totals(batch.id);
    expect(totals).toEqual({ creditsCount: 1, creditsMinor: 250, debitsCount: 2, debitsMinor: 4_000 });
    ledger.atomically(() => ledger.batches.close(batch.id, '000001', totals, at));

    expect(ledger.accounts.balances('debit')).toMatchObject({ postedMinor: 5_000 - 1_000 + 250, availableMinor: 4_250 });
    expect(ledger.accounts.balances('credit')).toMatchObject({ postedMinor: 3_000, availableMinor: 6_000 });
    expect(readRows('SELECT DISTINCT state FROM transactions')).toEqual([{ state: 'posted' }]);
    expect(ledger.batches.findOpen('POS00001')).toBeUndefined();
    expect(ledger.batches.lastClosed('POS00001')).toEqual({ batchNumber: '000001', totals });
  });

  it('runs in WAL mode with full sync and keeps no full PAN', () => {
    ledger.seedAccounts([debitCard, creditCard]);
    ledger.postPurchase(posting('debit', 100));
    expect(ledger.db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 });
    expect(readRows('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    for (const suffix of ['', '-wal']) {
      const bytes = readFileSync(ledger.path + suffix).toString('latin1');
      expect(bytes).not.toContain(debitCard.pan);
      expect(bytes).not.toContain(creditCard.pan);
    }
  });
});

describe('ledger with group commit', () => {
  it('answers afterCommit only once the group is on disk, and commits on close', () => {
    ledger.close();
    ledger = openLedger(dataDir, { groupCommit: true });
    ledger.seedAccounts([debitCard]);
    let committed = false;
    ledger.postPurchase(posting('debit', 100));
    ledger.afterCommit(() => (committed = true));
    expect(committed).toBe(false);
    expect(readRows('SELECT count(*) AS n FROM transactions')).toEqual([{ n: 0 }]);
    ledger.close();
    expect(committed).toBe(true);
    ledger = openLedger(dataDir);
    expect(ledger.availableMinor('debit')).toBe(4_900);
  });
});
