import { describe, expect, it } from 'vitest';
import type { TotalsRow } from '../journal/totals.ts';
import { buildBatchReport } from './batch-report.ts';

const row = (metric: string, key: string, count: number, amountMinor: number): TotalsRow => ({ metric, key, count, amountMinor, extraMinor: 0 });
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
const batch = { id: 1, batchNumber: '000007', openedAt: '2026-11-21T08:00:00.000Z' };

describe('batch report from the kept totals', () => {
  it('settlement totals from approved legs, by scheme and type, and how the card tenders ended', () => {
    const report = buildBatchReport(
      batch,
      [
        row('debit', 'unionpay', 1, 1800),
        row('debit', 'visa', 1, 3900),
        row('debit', 'mastercard', 0, 0),
        row('credit', 'unionpay', 1, 300),
        row('void', 'purchase', 1, 1200),
        row('card_tender', 'approved', 2, 5700),
        row('card_tender', 'declined', 1, 500),
        row('card_tender', 'voided', 1, 1200),
        row('card_tender', 'void_pending', 0, 0),
      ],
      'CNY',
    );
    expect(report).toEqual({
      batchNumber: '000007',
      openedAt: '2026-11-21T08:00:00.000Z',
      totals: { debits: { count: 2, amount: cny(5700) }, credits: { count: 1, amount: cny(300) }, net: { sign: 'D', amount: cny(5400) } },
      byScheme: [
        { scheme: 'unionpay', sales: { count: 1, amount: cny(1800) }, refunds: { count: 1, amount: cny(300) } },
        { scheme: 'visa', sales: { count: 1, amount: cny(3900) }, refunds: { count: 0, amount: cny(0) } },
      ],
      byType: { sale: { count: 2, amount: cny(5700) }, refund: { count: 1, amount: cny(300) }, void: { count: 1, amount: cny(1200) } },
      byResult: [
        { result: 'approved', count: 2, amount: cny(5700) },
        { result: 'declined', count: 1, amount: cny(500) },
        { result: 'voided', count: 1, amount: cny(1200) },
      ],
    });
  });

  it('nets to a credit when refunds exceed sales, and an empty batch to D zero', () => {
    expect(buildBatchReport(batch, [row('credit', 'unionpay', 1, 300)], 'CNY').totals.net).toEqual({ sign: 'C', amount: cny(300) });
    expect(buildBatchReport(batch, [], 'CNY').totals.net).toEqual({ sign: 'D', amount: cny(0) });
  });
});
