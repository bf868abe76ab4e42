/**
 * Catalog benchmark (`npm run bench:catalog`): how long the checkout takes to repaint, with 5,000
 * items, after a keystroke in the search field and after a tap that adds an item. The goal is one
 * frame: ≤16 ms at p95.
 *
 * The catalog is the one a station would hold: 5,000 items written as a merchant's CSV and put
 * through the station's own import (rows, pinyin initials, store), then listed as `listCatalog`
 * answers it. The page is the real checkout (bench/catalog-page: CheckoutApp on an in-memory API),
 * built for production by Vite with the product's renderer config, in Debian's Chromium, headless
 * with --disable-gpu. Each sample starts at the input event, at a random point of a frame (as
 * keystrokes and taps do), and gives two times (bench/catalog-page/main.ts):
 *   ready  after Vue's nextTick with the new DOM's style and layout forced: the work the repaint
 *          needs, which must fit in one frame. This is the figure held against the 16 ms goal.
 *   frame  at the first animation frame after nextTick: the same plus the wait for the next frame
 *          tick. Headless Chromium ticks at 60 Hz whatever the flags (--disable-frame-rate-limit
 *          does not lift it here: back-to-back animation frames are 16.7 ms apart), so this adds
 *          0–16.7 ms that no code can save; it is printed so the two can be compared.
 *
 * Several runs, each in a fresh page, each ≥200 samples of each kind after a warm-up; the table
 * gives each run's p50/p95, then the median of the runs and their spread (min–max). A benchmark, not
 * a test: figures are this machine's, and as good as the machine is quiet (the load is printed).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { build, type InlineConfig } from 'vite';
import rendererConfig from '../vite.renderer.config.ts';
import { StationCatalog } from '../main/catalog/station-catalog.ts';
import { parseCatalogText } from '../main/catalog/catalog-file.ts';
import { largeCatalogCsv, largeCatalogItems } from '../test/support/large-catalog.ts';

const { values: flags } = parseArgs({ options: { items: { type: 'string' }, runs: { type: 'string' }, samples: { type: 'string' } } });
const ITEMS = Number(flags.items ?? 5_000);
const RUNS = Number(flags.runs ?? 5);
const SAMPLES = Math.max(200, Number(flags.samples ?? 240));
const WARMUP = 30;
const GOAL_MS = 16;
/** Tiles tapped in turn: a long receipt's worth of distinct lines. */
const DISTINCT_LINES = 20;
const ORIGIN = 'http://catalog-bench.invalid';
const CHROMIUM = '/usr/bin/chromium';

const root = join(import.meta.dirname, '..');

/** Milliseconds from the input event (bench/catalog-page/main.ts). */
interface Sample {
  readonly ready: number;
  readonly frame: number;
}

/** The probes the benchmark's page exposes (page.evaluate sends the functions over: they name them through window). */
interface BenchWindow {
  readonly benchReady: Promise<number>;
  readonly benchCatalog: {
    typeSearch(queries: readonly string[]): Promise<Sample[]>;
    addItems(count: number, distinct: number): Promise<Sample[]>;
    reset(): Promise<void>;
  };
}
const work = mkdtempSync(join(tmpdir(), 'catalog-bench-'));

/** The catalog as the station holds it: the CSV through the station's own import, then listed. */
function stationCatalogJson(): string {
  const { items, errors } = parseCatalogText(largeCatalogCsv(ITEMS), 'csv');
  if (errors.length > 0) throw new Error(`the generated catalog has ${errors.length} bad rows`);
  const catalog = new StationCatalog({ dataDir: join(work, 'data') });
  try {
    catalog.apply({ source: 'import', items });
    return JSON.stringify(catalog.current().listed());
  } finally {
    catalog.close();
  }
}

/** What a cashier types: a few characters of a name (Chinese, English), pinyin initials, a SKU, a GTIN; cleared between words. */
function typedQueries(count: number): string[] {
  const items = largeCatalogItems(ITEMS);
  const words = ['康师傅红烧', 'master kong', 'ksfhs', 'laundry', '洗衣液', `${items[4321]!.sku.toLowerCase()}`, items[2718]!.gtin, 'mengniu yog'];
  const queries: string[] = [];
  for (let word = 0; queries.length < count; word++) {
    const text = words[word % words.length]!;
    for (let length = 1; length <= text.length && queries.length < count; length++) queries.push(text.slice(0, length));
    if (queries.length < count) queries.push('');
  }
  return queries;
}

async function buildPage(): Promise<string> {
  const outDir = join(work, 'page');
  const config: InlineConfig = {
    ...rendererConfig,
    configFile: false,
    logLevel: 'warn',
    root: join(root, 'bench', 'catalog-page'),
    build: { outDir, emptyOutDir: true, rollupOptions: { input: join(root, 'bench', 'catalog-page', 'index.html') } },
  };
  await build(config);
  return outDir;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface Summary {
  readonly p50: number;
  readonly p95: number;
}

function summary(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

type Kind = 'search' | 'add';
const median = (values: readonly number[]) => summary(values).p50;
const ms = (value: number) => `${value.toFixed(1).padStart(5)} ms`;

async function main(): Promise<void> {
  console.log(`catalog benchmark: ${ITEMS} items, ${RUNS} runs × ${SAMPLES} samples per kind (after ${WARMUP} warm-up), goal p95 ≤ ${GOAL_MS} ms`);
  console.log(`load average at start: ${loadavg().map((load) => load.toFixed(1)).join(' ')} (2 cores: above 2, something else is running)`);
  const catalogJson = stationCatalogJson();
  const pageDir = await buildPage();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const runs: Record<Kind, Record<keyof Sample, Summary>>[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.route(`${ORIGIN}/**`, (route) => {
        const path = new URL(route.request().url()).pathname;
        if (path === '/catalog.json') return route.fulfill({ contentType: 'application/json', body: catalogJson });
        const file = join(pageDir, path === '/' ? 'index.html' : path);
        return route.fulfill({ contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
      });
      page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
      await page.goto(`${ORIGIN}/`);
      const shown = await page.evaluate(() => (window as unknown as BenchWindow).benchReady);
      if (shown !== ITEMS) throw new Error(`the page shows ${shown} items, not ${ITEMS}`);
      const queries = typedQueries(WARMUP + SAMPLES);
      const search = await page.evaluate((typed) => (window as unknown as BenchWindow).benchCatalog.typeSearch(typed), queries);
      await page.evaluate(() => (window as unknown as BenchWindow).benchCatalog.reset());
      const add = await page.evaluate(([count, distinct]) => (window as unknown as BenchWindow).benchCatalog.addItems(count, distinct), [WARMUP + SAMPLES, DISTINCT_LINES] as const);
      await page.close();
      const both = (samples: readonly Sample[]) => ({ ready: summary(samples.slice(WARMUP).map((one) => one.ready)), frame: summary(samples.slice(WARMUP).map((one) => one.frame)) });
      const result = { search: both(search), add: both(add) };
      runs.push(result);
      console.log(
        `  run ${run}: search ready p50 ${ms(result.search.ready.p50)} p95 ${ms(result.search.ready.p95)} | frame p95 ${ms(result.search.frame.p95)}` +
          `   add item ready p50 ${ms(result.add.ready.p50)} p95 ${ms(result.add.ready.p95)} | frame p95 ${ms(result.add.frame.p95)}`,
      );
    }
  } finally {
    await browser.close();
  }
  console.log('');
  console.log(`median of ${RUNS} runs (spread min–max)`);
  const spread = (values: readonly number[]) => `${ms(median(values))} (${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)})`;
  for (const kind of ['search', 'add'] as const) {
    const label = kind === 'search' ? 'typing a search' : 'adding an item ';
    const of = (time: keyof Sample, at: keyof Summary) => runs.map((run) => run[kind][time][at]);
    const verdict = median(of('ready', 'p95')) <= GOAL_MS ? 'PASS' : 'MISS';
    console.log(`  ${label}  repaint ready  p50 ${spread(of('ready', 'p50'))}  p95 ${spread(of('ready', 'p95'))}  goal p95 ≤ ${GOAL_MS} ms: ${verdict}`);
    console.log(`  ${label}  next frame     p50 ${spread(of('frame', 'p50'))}  p95 ${spread(of('frame', 'p95'))}  (adds the wait for the 60 Hz tick)`);
  }
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
