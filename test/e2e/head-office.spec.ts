/**
 * Three stations' sales in the head office's report page. For now three uploaders, each sending its
 * own SQLite outbox over the signed API; the stations are enrolled with the head office's own CLI.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { StationCredential } from '../../common-node/station-signature.ts';
import { HeadOfficeClient } from '../../main/head-office/head-office-client.ts';
import { Uploader } from '../../main/head-office/uploader.ts';
import { removeStationOutboxes, stationOutbox } from '../head-office/head-office-rig.ts';
import { startHeadOfficeProcess, type HeadOfficeProcess } from './fixtures/head-office-process.ts';
import { REPO_ROOT } from './fixtures/browser-station-process.ts';

const STATIONS = [
  { id: 'SH01-01', shop: 'SH01', sales: 12, overShort: 0 },
  { id: 'SH01-02', shop: 'SH01', sales: 7, overShort: -500 },
  { id: 'BJ01-01', shop: 'BJ01', sales: 9, overShort: 200 },
];

let hq: HeadOfficeProcess;
test.beforeAll(async () => {
  hq = await startHeadOfficeProcess();
});
test.afterAll(async () => {
  await hq?.stop();
  removeStationOutboxes();
});

function cli(script: string, args: readonly string[]): string {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'hq', 'cli', script), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...hq.env }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${script} ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

test('the report page shows three stations’ sales', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));

  for (const [index, station] of STATIONS.entries()) {
    const credential = JSON.parse(cli('station-cli.ts', ['add', station.id, '--shop', station.shop])) as StationCredential;
    const outbox = stationOutbox(station.id, 300 + index);
    outbox.sell(station.sales);
    const cashSales = outbox.outbox.pending(10_000).filter((event) => event.type === 'tender' && event.data.kind === 'cash').reduce((total, event) => total + (event.type === 'tender' ? event.data.amountMinor : 0), 0);
    for (const event of outbox.demo.shift(cashSales, station.overShort)) outbox.outbox.append(event);
    outbox.outbox.append(outbox.demo.settlement('000001', { count: station.sales, amountMinor: 1 }));
    const uploader = new Uploader({ outbox: outbox.outbox, client: new HeadOfficeClient({ url: hq.origin, credential }) });
    uploader.start();
    await uploader.drained();
    await uploader.stop();
  }

  const { origin, hash } = new URL(hq.reportUrl);
  await page.goto(`${origin}/?from=2026-01-05&to=2026-01-05${hash}`);
  const byStation = page.getByTestId('report-by-station-day');
  for (const station of STATIONS) {
    const row = byStation.locator('tr', { has: page.locator('td[data-column="station"]', { hasText: station.id }) });
    await expect(row.locator('td[data-column="sales"]')).toHaveText(String(station.sales));
  }
  await expect(page.getByTestId('report-by-shop').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('report-stations').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('report-shifts').locator('td.short')).toHaveCount(1);
  await expect(page.getByTestId('report-settlements').locator('td[data-column="result"]', { hasText: '已平账' })).toHaveCount(3);
  // The token left the address bar once the page had it.
  expect(new URL(page.url()).hash).toBe('');

  // The same figures from the command line.
  const text = cli('report-cli.ts', ['--from', '2026-01-05', '--to', '2026-01-05']);
  for (const station of STATIONS) expect(text).toContain(station.id);
  expect(pageErrors).toEqual([]);
});
