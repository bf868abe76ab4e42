/** The risk log as a plain-text table for bank/risk-review.ts: aligned columns, reasons last. */
import { currencyByNumeric, formatMinorPlain } from '../../common/money.ts';
import type { RiskLogEntry } from './risk-log.ts';

const HEADINGS = ['at', 'decision', 'rc', 'pan', 'tid', 'stan', 'amount', 'reasons'] as const;

export function formatRiskLogTable(entries: readonly RiskLogEntry[]): string {
  if (entries.length === 0) return 'no risk log entries\n';
  const rows = entries.map((entry) => [
    entry.at,
    entry.decision,
    entry.responseCode,
    entry.maskedPan,
    entry.tid.trimEnd(),
    entry.stan,
    formatAmount(entry.amountMinor, entry.currency),
    entry.reasons.length === 0 ? '-' : entry.reasons.join('; '),
  ]);
  const widths = HEADINGS.map((heading, column) => Math.max(heading.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : column === 6 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ');
  const decisions = entries.filter((entry) => entry.decision !== 'skipped').length;
  const declines = entries.filter((entry) => entry.decision === 'decline-59' || entry.decision === 'decline-05').length;
  return `${[line(HEADINGS), ...rows.map(line)].join('\n')}\n${entries.length} purchases, ${decisions} assessed, ${declines} declined by the risk rules\n`;
}

function formatAmount(amountMinor: number, currencyNumeric: string): string {
  const currency = currencyByNumeric(currencyNumeric);
  return currency === undefined ? `${amountMinor} (${currencyNumeric})` : `${formatMinorPlain({ amountMinor, currency })} ${currency}`;
}
