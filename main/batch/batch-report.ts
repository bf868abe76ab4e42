/**
 * A batch's report, built from its journal rows: the settlement totals (approved purchases are
 * debits, approved refunds credits; reversed, voided, declined and failed ones count for nothing,
 * and balance inquiries are not transactions) and, for the cashier, what happened by card scheme,
 * by type (sale, refund, void) and by result.
 */
import type { BatchReport, CountAmount } from '../../common/acquirer.ts';
import type { CardScheme } from '../../common/card/scheme.ts';
import type { JournalStatus } from '../../common/journal.ts';
import { addMoney, money, type CurrencyCode } from '../../common/money.ts';
import type { BatchRecord, JournalRow } from '../journal/journal.ts';

export function buildBatchReport(batch: BatchRecord, rows: readonly JournalRow[], currency: CurrencyCode): BatchReport {
  const transactions = rows.filter((row) => row.kind === 'purchase' || row.kind === 'refund');
  const approved = transactions.filter((row) => row.status === 'approved');
  const total = (selected: readonly JournalRow[]): CountAmount => ({
    count: selected.length,
    amount: selected.reduce((sum, row) => addMoney(sum, row.amount), money(0, currency)),
  });
  const debits = total(approved.filter((row) => row.kind === 'purchase'));
  const credits = total(approved.filter((row) => row.kind === 'refund'));
  const net = debits.amount.amountMinor - credits.amount.amountMinor;

  const schemes = [...new Set(approved.map((row) => row.scheme))].sort() as CardScheme[];
  const results = [...new Set(transactions.map((row) => row.status))] as JournalStatus[];
  return {
    batchNumber: batch.batchNumber,
    openedAt: batch.openedAt,
    totals: { debits, credits, net: { sign: net >= 0 ? 'D' : 'C', amount: money(Math.abs(net), currency) } },
    byScheme: schemes.map((scheme) => ({
      scheme,
      sales: total(approved.filter((row) => row.scheme === scheme && row.kind === 'purchase')),
      refunds: total(approved.filter((row) => row.scheme === scheme && row.kind === 'refund')),
    })),
    byType: { sale: debits, refund: credits, void: total(transactions.filter((row) => row.status === 'voided')) },
    byResult: results.map((result) => ({ result, ...total(transactions.filter((row) => row.status === result)) })),
  };
}
