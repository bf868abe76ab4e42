/**
 * Station journal benchmark (`npm run bench:station`, or `node bench/station.bench.ts [--sizes
 * 10000,100000,1000000] [--runs 5] [--keep]`). One journal file grows through each size in turn
 * (card legs: the rows the old journal had, one per card request; sales, lines and tenders come
 * on top), written through the product's own modules (journal-builder.ts). At each size:
 *
 *   1. end-of-day totals: the open batch's report (settlement's) and the shift's X report, as the
 *      services build them, from the kept totals; beside them the same batch totals summed from the
 *      card legs through the covering index, which must agree with the kept ones;
 *   2. the back office's keyset pages: the first, one in the middle and the last, and a walk
 *      through every page, which must reach every sale;
 *   3. sale commits: sales written one unit of work at a time with synchronous=FULL, as the till
 *      commits them (one fsync each): p50/p99 of a unit and of a whole sale;
 *   4. size on disk, by table and index (dbstat).
 *
 * Timings are the median of --runs runs, with their spread (min–max). The 1,000,000-leg build takes
 * about 12 minutes here (about 0.7 ms a sale); the figures are this machine's and only as
 * good as the machine is quiet.
 */
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { DEMO_CATALOG } from '../main/catalog/demo-catalog.ts';
import { buildBatchReport } from '../main/batch/batch-report.ts';
import { Journal } from '../main/journal/journal.ts';
import { BATCH_METRICS } from '../main/journal/totals.ts';
import { buildShiftReport } from '../main/shift/shift-report.ts';
import { writeSale, writeSales, type Unit } from './journal-builder.ts';

const TOTALS_TARGET_MS = 100;
const PAGE_SIZE = 50;
const COMMIT_SALES = 200;

const { values: flags } = parseArgs({ options: { sizes: { type: 'string' }, runs: { type: 'string' }, keep: { type: 'boolean' } } });
const sizes = (flags.sizes ?? '10000,100000,1000000').split(',').map(Number).sort((a, b) => a - b);
const runs = Number(flags.runs ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'station-bench-'));
const path = join(dir, 'journal.sqlite');
const journal = new Journal(path, { stationId: 'POS00001' });
journal.shifts.open('1001', 200_00, 'CNY');

interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

interface SizeResult {
  readonly legs: number;
  readonly sales: number;
  readonly buildSeconds: number;
  readonly totals: Spread;
  readonly legsSum: Spread;
  readonly agree: boolean;
  readonly pages: { first: Spread; middle: Spread; last: Spread; walkSeconds: number; reached: number; all: boolean };
  readonly commit: { unitP50: Spread; unitP99: Spread; saleP50: Spread; saleP99: Spread };
  readonly disk: { totalMb: number; parts: { name: string; mb: number }[] };
}

const results: SizeResult[] = [];
let legs = 0;
let sales = 0;
for (const size of sizes) {
  const started = performance.now();
  sales += writeSales(journal, DEMO_CATALOG, { legs: size - legs });
  legs = size;
  const buildSeconds = (performance.now() - started) / 1000;
  process.stderr.write(`built ${size.toLocaleString('en-US')} card legs (${sales.toLocaleString('en-US')} sales) in ${buildSeconds.toFixed(0)} s\n`);
  const totals = measureTotals();
  const pages = measurePages(sales);
  const disk = measureDisk();
  const commit = measureCommits();
  results.push({ legs: size, sales, buildSeconds, ...totals, pages, commit: commit.spread, disk });
  // The sales the commit measurement wrote stay in the journal, card legs and all.
  sales += commit.sales;
  legs += commit.legs;
}
journal.close();
report();
if (flags.keep) process.stdout.write(`journal kept at ${path}\n`);
else rmSync(dir, { recursive: true, force: true });

// --- measurements ------------------------------------------------------------------------------

/** End of day as the services build it: settlement's batch report and the shift's X report. */
function endOfDay(): { debitCount: number; debitMinor: number } {
  const batch = journal.batches.open();
  const report = buildBatchReport(batch, journal.totals.read('batch', batch.id), 'CNY');
  const shift = journal.shifts.current()!;
  buildShiftReport({ kind: 'X', shift, shiftTotals: journal.totals.read('shift', shift.id), batch: { batchNumber: batch.batchNumber, totals: journal.totals.read('batch', batch.id) }, at: new Date() });
  return { debitCount: report.totals.debits.count, debitMinor: report.totals.debits.amount.amountMinor };
}

function measureTotals(): { totals: Spread; legsSum: Spread; agree: boolean } {
  const reader = new DatabaseSync(path, { readOnly: true });
  const sum = reader.prepare(
    // The partial index's own condition, repeated, is what lets SQLite use it.
    `SELECT count(*) AS count, coalesce(sum(amount_minor), 0) AS amount FROM card_legs INDEXED BY card_legs_upload
     WHERE batch_id = ? AND status = 'approved' AND kind IN ('purchase', 'refund') AND kind = 'purchase'`,
  );
  const batchId = journal.batches.openId();
  let kept = endOfDay();
  let summed = { count: 0, amount: 0 };
  const totals = timed(() => (kept = endOfDay()));
  const legsSum = timed(() => (summed = sum.get(batchId) as { count: number; amount: number }));
  reader.close();
  const keptRow = journal.totals.read('batch', batchId).find((row) => row.metric === BATCH_METRICS.debit);
  return { totals, legsSum, agree: kept.debitCount === summed.count && kept.debitMinor === summed.amount && keptRow !== undefined };
}

function measurePages(total: number): SizeResult['pages'] {
  const reader = new DatabaseSync(path, { readOnly: true });
  const idAt = (offset: number) => (reader.prepare('SELECT id FROM sales ORDER BY id DESC LIMIT 1 OFFSET ?').get(offset) as { id: string }).id;
  const middle = idAt(Math.floor(total / 2));
  const last = idAt(Math.max(0, total - PAGE_SIZE - 1));
  reader.close();
  const first = timed(() => journal.sales.page(undefined, PAGE_SIZE));
  const mid = timed(() => journal.sales.page(middle, PAGE_SIZE));
  const end = timed(() => journal.sales.page(last, PAGE_SIZE));
  const walkStart = performance.now();
  let reached = 0;
  let before: string | undefined;
  for (;;) {
    const page = journal.sales.page(before, PAGE_SIZE);
    if (page.length === 0) break;
    reached += page.length;
    before = page.at(-1)!.id;
  }
  return { first, middle: mid, last: end, walkSeconds: (performance.now() - walkStart) / 1000, reached, all: reached === total };
}

function measureCommits(): { spread: SizeResult['commit']; sales: number; legs: number } {
  const perRun: { unitP50: number; unitP99: number; saleP50: number; saleP99: number }[] = [];
  let written = 0;
  let legsWritten = 0;
  for (let run = 0; run < Math.min(runs, 3); run++) {
    const units: number[] = [];
    const salesMs: number[] = [];
    const unit: Unit = (work) => {
      const start = performance.now();
      try {
        return journal.atomically(work);
      } finally {
        units.push(performance.now() - start);
      }
    };
    for (let i = 0; i < COMMIT_SALES; i++) {
      const start = performance.now();
      legsWritten += writeSale(journal, DEMO_CATALOG, sales + written, unit);
      salesMs.push(performance.now() - start);
      written += 1;
    }
    perRun.push({ unitP50: percentile(units, 0.5), unitP99: percentile(units, 0.99), saleP50: percentile(salesMs, 0.5), saleP99: percentile(salesMs, 0.99) });
  }
  const of = (key: keyof (typeof perRun)[number]) => spread(perRun.map((run) => run[key]));
  return { spread: { unitP50: of('unitP50'), unitP99: of('unitP99'), saleP50: of('saleP50'), saleP99: of('saleP99') }, sales: written, legs: legsWritten };
}

function measureDisk(): SizeResult['disk'] {
  const reader = new DatabaseSync(path, { readOnly: true });
  const rows = reader.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as { name: string; bytes: number }[];
  reader.close();
  const wal = statSafe(`${path}-wal`);
  const parts = rows.slice(0, 8).map((row) => ({ name: row.name, mb: row.bytes / 1e6 }));
  return { totalMb: (statSync(path).size + wal) / 1e6, parts };
}

// --- figures -----------------------------------------------------------------------------------

function timed(work: () => unknown): Spread {
  work();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  return spread(samples);
}

function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 0.5), min: sorted[0]!, max: sorted.at(-1)! };
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function statSafe(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function report(): void {
  const out: string[] = [];
  const cpu = cpus();
  out.push(`Station journal benchmark: ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, Node ${process.version}, ${runs} runs per figure (median, min–max)`);
  out.push('');
  out.push(row('card legs', results.map((result) => count(result.legs))));
  out.push(row('  sales', results.map((result) => count(result.sales))));
  out.push(row('  built in', results.map((result) => `${result.buildSeconds.toFixed(0)} s`)));
  out.push(row('End-of-day totals ms', results.map((result) => ms(result.totals))));
  out.push(row('  legs summed (index) ms', results.map((result) => ms(result.legsSum))));
  out.push(row('  kept = summed', results.map((result) => (result.agree ? 'yes' : 'NO'))));
  out.push(row(`Page of ${PAGE_SIZE}, first ms`, results.map((result) => ms(result.pages.first))));
  out.push(row('  middle ms', results.map((result) => ms(result.pages.middle))));
  out.push(row('  last ms', results.map((result) => ms(result.pages.last))));
  out.push(row('  every page, walked', results.map((result) => `${result.pages.walkSeconds.toFixed(1)} s`)));
  out.push(row('  sales reached', results.map((result) => `${count(result.pages.reached)}`)));
  out.push(row('Unit of work p50 ms', results.map((result) => ms(result.commit.unitP50))));
  out.push(row('  p99 ms', results.map((result) => ms(result.commit.unitP99))));
  out.push(row('Whole sale p50 ms', results.map((result) => ms(result.commit.saleP50))));
  out.push(row('  p99 ms', results.map((result) => ms(result.commit.saleP99))));
  out.push(row('Size on disk MB', results.map((result) => result.disk.totalMb.toFixed(0))));
  const largest = results.at(-1);
  if (largest !== undefined) {
    out.push('');
    out.push(`Largest journal by table and index (MB): ${largest.disk.parts.map((part) => `${part.name} ${part.mb.toFixed(0)}`).join(', ')}`);
    out.push('');
    out.push('Targets');
    const pass = largest.totals.median <= TOTALS_TARGET_MS && largest.agree;
    out.push(`  end-of-day totals ≤ ${TOTALS_TARGET_MS} ms at ${count(largest.legs)} card legs`.padEnd(64) + `${largest.totals.median.toFixed(2)} ms`.padStart(14) + `  ${pass ? 'PASS' : 'MISS'}`);
    const reachedAll = results.every((result) => result.pages.all);
    out.push(`  keyset pages reach every sale`.padEnd(64) + (reachedAll ? 'yes' : 'no').padStart(14) + `  ${reachedAll ? 'PASS' : 'MISS'}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

function row(label: string, cells: readonly string[]): string {
  return `${label.padEnd(28)}${cells.map((cell) => cell.padStart(22)).join('')}`;
}

function ms(value: Spread): string {
  const digits = value.median < 10 ? 2 : 0;
  return `${value.median.toFixed(digits)} (${value.min.toFixed(digits)}–${value.max.toFixed(digits)})`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
