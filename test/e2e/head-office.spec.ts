/**
 * Three stations' sales in the head office's report page. Three real browser-target stations
 * (`main/station-server/start.ts`, each with its bundled host), enrolled with the head office's own
 * CLI, each with the head office in its station.json and its credential in its data directory: the
 * cashier sells cash sales and closes the shift on the checkout page (one drawer short, one over),
 * the status bar shows the upload caught up, and the head office's report page and CLI show the three.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { DEFAULT_STATION_CONFIG } from '../../main/config/station-config.ts';
import { businessDayOf } from '../../main/head-office/journal-uploads.ts';
import { credentialPath } from '../../main/head-office/station-head-office.ts';
import { BackOfficePage } from './fixtures/back-office-page.ts';
import { startBrowserStationProcess, REPO_ROOT } from './fixtures/browser-station-process.ts';
import { CheckoutPage } from './fixtures/checkout-page.ts';
import { startHeadOfficeProcess, type HeadOfficeProcess } from './fixtures/head-office-process.ts';

/** Each sale is one item paid in cash; the drawer is counted at float + takings + overShort (yuan). */
const STATIONS = [
  { id: 'SH01-01', terminalId: 'POS00011', shop: 'SH01', sales: ['TEA-001', 'COF-001', 'TEA-001'], takings: 24, overShort: 0 },
  { id: 'SH01-02', terminalId: 'POS00012', shop: 'SH01', sales: ['COF-001', 'COF-001'], takings: 30, overShort: -5 },
  { id: 'BJ01-01', terminalId: 'POS00021', shop: 'BJ01', sales: ['TEA-001'], takings: 4.5, overShort: 2 },
];
const FLOAT_YUAN = 200;

let hq: HeadOfficeProcess;
const dataDirs: string[] = [];
test.beforeAll(async () => {
  hq = await startHeadOfficeProcess();
});
test.afterAll(async () => {
  await hq?.stop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function cli(script: string, args: readonly string[]): string {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'hq', 'cli', script), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...hq.env }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${script} ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

test('the report page shows three stations’ sales', async ({ browser, page }) => {
  test.setTimeout(180_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));

  for (const station of STATIONS) {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-hq-'));
    dataDirs.push(dataDir);
    mkdirSync(join(dataDir, 'keys'), { recursive: true });
    writeFileSync(credentialPath(dataDir), cli('station-cli.ts', ['add', station.id, '--shop', station.shop]), { mode: 0o600 });
    const running = await startBrowserStationProcess({
      dataDir,
      stationConfig: { ...DEFAULT_STATION_CONFIG, merchant: { ...DEFAULT_STATION_CONFIG.merchant, terminalId: station.terminalId }, headOffice: { url: hq.origin } },
    });
    const tab = await browser.newPage();
    const simulator = await browser.newPage();
    try {
      await tab.goto(running.checkoutUrl);
      await simulator.goto(running.simulatorUrl!);
      const checkout = new CheckoutPage(tab);
      await checkout.ensureReady();
      for (const sku of station.sales) {
        await checkout.addToCart(sku);
        await checkout.payByCash('100');
        // The drawer opened for the cash; the cashier shuts it, closes the receipt, and starts the next sale.
        await expect(simulator.getByTestId('cash-drawer')).toHaveAttribute('data-open', 'true');
        await simulator.getByTestId('close-drawer').click();
        await expect(simulator.getByTestId('cash-drawer')).toHaveAttribute('data-open', 'false');
        await expect(checkout.receipt).toBeVisible();
        await checkout.newSale();
        // New sale closes the payment panel; the receipt beside it may still be open.
        const closeReceipt = tab.getByTestId('close-receipt');
        if (await closeReceipt.isVisible()) await closeReceipt.click();
        await expect(tab.getByTestId('checkout-overlay')).toBeHidden();
      }
      const backOffice = new BackOfficePage(tab);
      await backOffice.openShift();
      await backOffice.closeShift(String(FLOAT_YUAN + station.takings + station.overShort));
      // The status bar: the head office holds everything the station journaled.
      const upload = tab.getByTestId('head-office-status');
      await expect(upload).toHaveAttribute('data-backlog', '0', { timeout: 30_000 });
      await expect(upload).toHaveAttribute('data-state', 'idle');
    } finally {
      await simulator.close();
      await tab.close();
      await running.stop();
    }
  }

  const today = businessDayOf(new Date().toISOString());
  const { origin, hash } = new URL(hq.reportUrl);
  await page.goto(`${origin}/?from=${today}&to=${today}${hash}`);
  const byStation = page.getByTestId('report-by-station-day');
  for (const station of STATIONS) {
    const row = byStation.locator('tr', { has: page.locator('td[data-column="station"]', { hasText: station.id }) });
    await expect(row.locator('td[data-column="sales"]')).toHaveText(String(station.sales.length));
  }
  await expect(page.getByTestId('report-by-shop').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('report-stations').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('report-shifts').locator('td.short')).toHaveCount(1);
  await expect(page.getByTestId('report-shifts').locator('td.over')).toHaveCount(1);
  // The token left the address bar once the page had it.
  expect(new URL(page.url()).hash).toBe('');

  // The same figures from the command line.
  const text = cli('report-cli.ts', ['--from', today, '--to', today]);
  for (const station of STATIONS) expect(text).toContain(station.id);
  expect(pageErrors).toEqual([]);
});
