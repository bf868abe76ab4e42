import { describe, expect, it } from 'vitest';
import type { JournalRow } from '../journal/journal.ts';
import { buildBatchReport } from './batch-report.ts';

const row = (kind: JournalRow['kind'], status: JournalRow['status'], amountMinor: number, scheme: JournalRow['scheme'] = 'unionpay') =>
  ({ kind, status, scheme, amount: { amountMinor, currency: 'CNY' } }) as JournalRow;
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });

describe('batch report', () => {
  it('counts approved purchases as debits and approved refunds as credits; nothing else moves the totals', () => {
    const report = buildBatchReport({ id: 1, batchNumber: '000007', openedAt: '2026-11-21T08:00:00.000Z' }, [
      row('purchase', 'approved', 1800),
      row('purchase', 'approved', 3900, 'visa'),
      row('purchase', 'declined', 500),
      row('purchase', 'voided', 1200, 'visa'),
      row('purchase', 'reversed', 2290),
      row('purchase', 'failed', 100),
      row('refund', 'approved', 300),
      row('refund', 'voided', 100),
      row('balance_inquiry', 'approved', 0),
      row('reversal', 'approved', 1200, 'visa'),
    ], 'CNY');
    expect(report).toEqual({
      batchNumber: '000007',
      openedAt: '2026-11-21T08:00:00.000Z',
      totals: { debits: { count: 2, amount: cny(5700) }, credits: { count: 1, amount: cny(300) }, net: { sign: 'D', amount: cny(5400) } },
      byScheme: [
        { scheme: 'unionpay', sales: { count: 1, amount: cny(1800) }, refunds: { count: 1, amount: cny(300) } },
        { scheme: 'visa', sales: { count: 1, amount: cny(3900) }, refunds: { count: 0, amount: cny(0) } },
      ],
      byType: { sale: { count: 2, amount: cny(5700) }, refund: { count: 1, amount: cny(300) }, void: { count: 2, amount: cny(1300) } },
      byResult: [
        { result: 'approved', count: 3, amount: cny(6000) },
        { result: 'declined', count: 1, amount: cny(500) },
        { result: 'voided', count: 2, amount: cny(1300) },
        { result: 'reversed', count: 1, amount: cny(2290) },
        { result: 'failed', count: 1, amount: cny(100) },
      ],
    });
  });

  it('nets to a credit when refunds exceed sales, and an empty batch to D zero', () => {
    const batch = { id: 1, batchNumber: '000001', openedAt: '2026-11-21T08:00:00.000Z' };
    expect(buildBatchReport(batch, [row('refund', 'approved', 300)], 'CNY').totals.net).toEqual({ sign: 'C', amount: cny(300) });
    expect(buildBatchReport(batch, [], 'CNY').totals.net).toEqual({ sign: 'D', amount: cny(0) });
  });
});
