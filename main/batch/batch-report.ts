/**
 * A card batch's report from the journal's kept totals (journal/totals.ts), whatever the batch's
 * size: the settlement totals (approved purchases are debits, approved refunds credits; reversed,
 * voided, declined and failed ones count for nothing, and balance inquiries are no sales), and for
 * the cashier the batch by scheme, by type and by how each card tender ended (a PIN retry is an
 * attempt of its tender, never a declined sale).
 */
import type { BatchReport, CountAmount } from '../../common/acquirer.ts';
import type { CardScheme } from '../../common/card/scheme.ts';
import { money, type CurrencyCode } from '../../common/money.ts';
import type { BatchRecord } from '../journal/batches.ts';
import { BATCH_METRICS, type TotalsRow } from '../journal/totals.ts';

const RESULT_ORDER = ['approved', 'declined', 'failed', 'cancelled', 'void_pending', 'voided'] as const;

export function buildBatchReport(batch: BatchRecord, totals: readonly TotalsRow[], currency: CurrencyCode): BatchReport {
  const of = (metric: string, key?: string): CountAmount =>
    totals
      .filter((row) => row.metric === metric && (key === undefined || row.key === key))
      .reduce((sum, row) => ({ count: sum.count + row.count, amount: money(sum.amount.amountMinor + row.amountMinor, currency) }), { count: 0, amount: money(0, currency) });
  const debits = of(BATCH_METRICS.debit);
  const credits = of(BATCH_METRICS.credit);
  const net = debits.amount.amountMinor - credits.amount.amountMinor;
  const schemes = [...new Set(totals.filter((row) => (row.metric === BATCH_METRICS.debit || row.metric === BATCH_METRICS.credit) && row.count > 0).map((row) => row.key))].sort() as CardScheme[];
  return {
    batchNumber: batch.batchNumber,
    openedAt: batch.openedAt,
    totals: { debits, credits, net: { sign: net >= 0 ? 'D' : 'C', amount: money(Math.abs(net), currency) } },
    byScheme: schemes.map((scheme) => ({ scheme, sales: of(BATCH_METRICS.debit, scheme), refunds: of(BATCH_METRICS.credit, scheme) })),
    byType: { sale: debits, refund: credits, void: of(BATCH_METRICS.void) },
    byResult: RESULT_ORDER.map((result) => ({ result, ...of(BATCH_METRICS.cardTender, result) })).filter((row) => row.count > 0),
  };
}
