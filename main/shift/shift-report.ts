/**
 * An X or Z report from the journal's kept totals (journal/totals.ts): a handful of rows however
 * long the shift, so a report is instant at any size. What counts where is projections.ts's rule.
 */
import type { CardScheme } from '../../common/card/scheme.ts';
import type { VatRateBp } from '../../common/catalog.ts';
import { money, type CurrencyCode } from '../../common/money.ts';
import type { TenderType } from '../../common/sale/model.ts';
import type { Shift, ShiftReport } from '../../common/shift.ts';
import type { ShiftRecord } from '../journal/shifts.ts';
import { BATCH_METRICS, SHIFT_METRICS, type TotalsRow } from '../journal/totals.ts';

export interface ReportInputs {
  readonly kind: 'X' | 'Z';
  readonly shift: ShiftRecord;
  readonly shiftTotals: readonly TotalsRow[];
  readonly batch: { readonly batchNumber: string; readonly totals: readonly TotalsRow[] };
  readonly at: Date;
  /** Z: the blind count. */
  readonly countedMinor?: number;
}

export function shiftView(shift: ShiftRecord): Shift {
  return {
    id: shift.id,
    status: shift.status,
    openedBy: shift.openedBy,
    openedAt: shift.openedAt,
    float: money(shift.floatMinor, shift.currency),
    ...(shift.closedBy === undefined ? {} : { closedBy: shift.closedBy }),
    ...(shift.closedAt === undefined ? {} : { closedAt: shift.closedAt }),
  };
}

export function buildShiftReport(inputs: ReportInputs): ShiftReport {
  const { shift } = inputs;
  const currency: CurrencyCode = shift.currency;
  const cny = (amountMinor: number) => money(amountMinor, currency);
  const rows = (metric: string) => inputs.shiftTotals.filter((row) => row.metric === metric && (row.count !== 0 || row.amountMinor !== 0));
  const one = (metric: string, key: string) => inputs.shiftTotals.find((row) => row.metric === metric && row.key === key) ?? { count: 0, amountMinor: 0, extraMinor: 0 };
  const byRate = (metric: string) =>
    rows(metric)
      .sort((a, b) => Number(b.key) - Number(a.key))
      .map((row) => ({ rateBp: Number(row.key) as VatRateBp, amount: cny(row.amountMinor), vat: cny(row.extraMinor) }));
  const byType = (metric: string) => rows(metric).map((row) => ({ type: row.key as TenderType, count: row.count, amount: cny(row.amountMinor) }));

  const cashSales = one(SHIFT_METRICS.tender, 'cash').amountMinor;
  const cashRefunds = one(SHIFT_METRICS.refund, 'cash').amountMinor;
  const paidIn = one(SHIFT_METRICS.cash, 'paid_in').amountMinor;
  const paidOut = one(SHIFT_METRICS.cash, 'paid_out').amountMinor;
  const expected = shift.floatMinor + cashSales - cashRefunds + paidIn - paidOut;
  const refunds = rows(SHIFT_METRICS.refund);
  const batchRow = (metric: string) => inputs.batch.totals.filter((row) => row.metric === metric).reduce((sum, row) => ({ count: sum.count + row.count, amount: cny(sum.amount.amountMinor + row.amountMinor) }), { count: 0, amount: cny(0) });
  const sales = one(SHIFT_METRICS.sales, 'paid');
  const voids = one(SHIFT_METRICS.void, 'sale');

  return {
    kind: inputs.kind,
    shift: shiftView(shift),
    at: inputs.at.toISOString(),
    sales: { count: sales.count, amount: cny(sales.amountMinor) },
    cancelled: one(SHIFT_METRICS.sales, 'cancelled').count,
    voids: { count: voids.count, amount: cny(voids.amountMinor) },
    byTender: byType(SHIFT_METRICS.tender),
    byScheme: rows(SHIFT_METRICS.scheme).map((row) => ({ scheme: row.key as CardScheme, count: row.count, amount: cny(row.amountMinor) })),
    byVatRate: byRate(SHIFT_METRICS.salesVat),
    refunds: {
      total: { count: refunds.reduce((sum, row) => sum + row.count, 0), amount: cny(refunds.reduce((sum, row) => sum + row.amountMinor, 0)) },
      byTender: byType(SHIFT_METRICS.refund),
      byVatRate: byRate(SHIFT_METRICS.refundVat),
    },
    cash: {
      float: cny(shift.floatMinor),
      sales: cny(cashSales),
      refunds: cny(cashRefunds),
      paidIn: cny(paidIn),
      paidOut: cny(paidOut),
      expected: cny(expected),
      ...(inputs.countedMinor === undefined
        ? {}
        : {
            counted: cny(inputs.countedMinor),
            overShort: { sign: inputs.countedMinor > expected ? 'over' : inputs.countedMinor < expected ? 'short' : 'even', amount: cny(Math.abs(inputs.countedMinor - expected)) },
          }),
    },
    noSales: one(SHIFT_METRICS.cash, 'no_sale').count,
    batch: { batchNumber: inputs.batch.batchNumber, debits: batchRow(BATCH_METRICS.debit), credits: batchRow(BATCH_METRICS.credit) },
  };
}
