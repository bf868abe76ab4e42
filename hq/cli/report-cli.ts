/**
 * `npm run hq:report -- [--from DAY] [--to DAY] [--silent-after MINUTES] [--json]`: the office report
 * in the terminal (the same data as the report page). Days default to today.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ReportQuerySchema, type HeadOfficeReport } from '../../common/head-office/report.ts';
import { formatMinorPlain, isCurrencyCode } from '../../common/money.ts';
import { headOfficeReport } from '../reports/report-queries.ts';
import { runCli, withHqDatabase } from './cli-database.ts';

const amount = (minor: number | null, currency: string | null) =>
  minor === null || currency === null || !isCurrencyCode(currency) ? '—' : `${minor < 0 ? '-' : ''}${formatMinorPlain({ amountMinor: Math.abs(minor), currency })}`;

function table(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return console.log('  (none)');
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => row[index]!.length)));
  for (const row of [header, ...rows]) console.log(`  ${row.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join('  ')}`);
}

function print(report: HeadOfficeReport): void {
  console.log(`Head office report ${report.from} – ${report.to} (generated ${report.generatedAt})`);
  const sales = ['sales', 'gross', 'voids', 'refunds', 'net', 'VAT'];
  const salesCells = (row: HeadOfficeReport['byShop'][number]) => [String(row.salesCount), ...[row.salesMinor, row.voidsMinor, row.refundsMinor, row.netMinor, row.vatMinor].map((minor) => amount(minor, row.currency))];
  table('By shop', ['shop', 'stations', ...sales], report.byShop.map((row) => [row.shopId, String(row.stations), ...salesCells(row)]));
  table('By station and day', ['day', 'shop', 'station', ...sales], report.byStationDay.map((row) => [row.businessDay, row.shopId, row.stationId, ...salesCells({ ...row, shopName: '', stations: 0 })]));
  table('By tender and scheme', ['shop', 'tender', 'scheme', 'count', 'amount', 'refunds'], report.tenders.map((row) => [row.shopId, row.kind, row.scheme || '-', String(row.count), amount(row.amountMinor, row.currency), amount(row.refundsMinor, row.currency)]));
  table('By VAT rate', ['shop', 'rate', 'gross', 'VAT'], report.vat.map((row) => [row.shopId, `${row.vatRateBp / 100}%`, amount(row.grossMinor, row.currency), amount(row.vatMinor, row.currency)]));
  table('Cash over/short per shift', ['day', 'station', 'cashier', 'state', 'expected', 'counted', 'over/short'], report.shifts.map((row) => [row.businessDay, row.stationId, row.cashier, row.state, amount(row.expectedCashMinor, row.currency), amount(row.countedCashMinor, row.currency), amount(row.overShortMinor, row.currency)]));
  table('Settlement status per station', ['station', 'batch', 'result', 'settled at', 'debits'], report.settlements.map((row) => [row.stationId, row.batchNumber ?? '-', row.result ?? 'never', row.settledAt ?? '-', amount(row.debitsMinor, row.currency)]));
  table('Stations', ['station', 'shop', 'last contact', 'backlog', 'silent'], report.stations.map((row) => [row.stationId, row.shopId, row.lastContactAt ?? 'never', String(row.backlog), row.silent ? `yes (> ${report.silentAfterMinutes} min)` : 'no']));
}

runCli(async () => {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, 'silent-after': { type: 'string' }, json: { type: 'boolean' } } });
  const today = new Date().toISOString().slice(0, 10);
  const query = ReportQuerySchema.safeParse({ from: values.from ?? values.to ?? today, to: values.to ?? values.from ?? today, silentAfterMinutes: values['silent-after'] ?? 60 });
  if (!query.success) throw new Error(z.prettifyError(query.error));
  const report = await withHqDatabase(({ office }) => headOfficeReport(office, query.data));
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else print(report);
});
