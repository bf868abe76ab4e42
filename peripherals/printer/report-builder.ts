/** Builds the ESC/POS bytes of an X or Z report (common/shift.ts) in the receipt's language. */
import { formatMinorPlain, type Money } from '../../common/money.ts';
import type { ShiftReport } from '../../common/shift.ts';
import { PAPER, type LocalizedText, type PrinterProfile } from './receipt-builder.ts';
import { RECEIPT_LABELS, type ReceiptLocale } from './receipt-labels.ts';
import { REPORT_LABELS } from './report-labels.ts';
import { ReceiptWriter } from './receipt-writer.ts';

export interface ReportHeader {
  readonly locale: ReceiptLocale;
  readonly merchantName: LocalizedText;
  readonly merchantId: string;
  readonly terminalId: string;
  /** IANA zone the times are printed in; the station's own by default. */
  readonly timeZone?: string;
}

const money = (value: Money) => `${value.currency} ${formatMinorPlain(value)}`;
const count = (n: number, value: Money) => `${n} / ${money(value)}`;

export function buildShiftReportReceipt(report: ShiftReport, header: ReportHeader, profile: PrinterProfile): Uint8Array {
  const locale: ReceiptLocale = profile.cjk === 'none' ? 'en' : header.locale;
  const labels = REPORT_LABELS[locale];
  const receipt = RECEIPT_LABELS[locale];
  const writer = new ReceiptWriter(PAPER[profile.widthMm].columns, profile.cjk);
  const time = (iso: string) => new Intl.DateTimeFormat('sv-SE', { timeZone: header.timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
  const section = (title: string) => {
    writer.rule();
    writer.bold(true);
    writer.text(title);
    writer.bold(false);
  };

  writer.initialize();
  writer.align('center');
  writer.bold(true);
  writer.size(2, 2);
  writer.text(header.merchantName[locale]);
  writer.size(1, 1);
  writer.text(labels.title[report.kind]);
  writer.bold(false);
  writer.align('left');
  writer.pair(receipt.merchantId, header.merchantId);
  writer.pair(receipt.terminalId, header.terminalId);
  writer.pair(labels.shift, String(report.shift.id));
  writer.pair(labels.openedBy, report.shift.openedBy);
  writer.pair(labels.openedAt, time(report.shift.openedAt));
  if (report.shift.closedAt) writer.pair(labels.closedAt, time(report.shift.closedAt));
  writer.pair(labels.printedAt, time(report.at));

  section(labels.sales);
  writer.pair(labels.sales, count(report.sales.count, report.sales.amount));
  writer.pair(labels.voids, count(report.voids.count, report.voids.amount));
  writer.pair(labels.cancelled, String(report.cancelled));
  writer.pair(labels.refunds, count(report.refunds.total.count, report.refunds.total.amount));
  section(labels.byTender);
  for (const row of report.byTender) writer.pair(labels.tenders[row.type], count(row.count, row.amount));
  for (const row of report.refunds.byTender) writer.pair(`${labels.refunds} ${labels.tenders[row.type]}`, `-${money(row.amount)}`);
  section(labels.byScheme);
  for (const row of report.byScheme) writer.pair(receipt.schemes[row.scheme], count(row.count, row.amount));
  section(labels.byVatRate);
  for (const row of report.byVatRate) writer.pair(`${row.rateBp / 100}% ${money(row.amount)}`, `${labels.vat} ${formatMinorPlain(row.vat)}`);
  for (const row of report.refunds.byVatRate) writer.pair(`${labels.refunds} ${row.rateBp / 100}%`, `-${labels.vat} ${formatMinorPlain(row.vat)}`);

  section(labels.cash);
  writer.pair(labels.float, money(report.cash.float));
  writer.pair(labels.cashSales, money(report.cash.sales));
  writer.pair(labels.cashRefunds, `-${money(report.cash.refunds)}`);
  writer.pair(labels.paidIn, money(report.cash.paidIn));
  writer.pair(labels.paidOut, `-${money(report.cash.paidOut)}`);
  writer.bold(true);
  writer.pair(labels.expected, money(report.cash.expected));
  writer.bold(false);
  if (report.cash.counted) writer.pair(labels.counted, money(report.cash.counted));
  if (report.cash.overShort) writer.pair(labels[report.cash.overShort.sign], money(report.cash.overShort.amount));
  writer.pair(labels.noSales, String(report.noSales));

  section(`${labels.batch} ${report.batch.batchNumber}`);
  writer.pair(labels.debits, count(report.batch.debits.count, report.batch.debits.amount));
  writer.pair(labels.credits, count(report.batch.credits.count, report.batch.credits.amount));
  writer.rule();
  writer.partialCut();
  return writer.bytes();
}
