/**
 * `npm run screenshots`: regenerates docs/screenshots from the running product, in zh-CN and en: the
 * sign-in screen, the checkout with a sale rung up, the cash dialog of a split tender, the partly
 * paid sale, the simulated-devices panel asking for the card part's PIN, the receipt with VAT,
 * tendered and change, and the X report. It drives the browser target with the end-to-end tests'
 * own page objects (test/e2e/fixtures/).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { BackOfficePage } from '../test/e2e/fixtures/back-office-page.ts';
import { startBrowserStationProcess } from '../test/e2e/fixtures/browser-station-process.ts';
import { CheckoutPage } from '../test/e2e/fixtures/checkout-page.ts';
import { SimulatorPanel } from '../test/e2e/fixtures/simulator-panel.ts';

const root = resolve(import.meta.dirname, '..');
const outDir = join(root, 'docs', 'screenshots');
const LOCALES = ['zh-CN', 'en'] as const;
const LOCALE_STORAGE_KEY = 'pos.locale';
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

if (spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '-c', 'vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
await mkdir(outDir, { recursive: true });
const station = await startBrowserStationProcess();
const browser = await chromium.launch({ ...(SYSTEM_CHROMIUM ? { executablePath: SYSTEM_CHROMIUM } : {}), args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'] });

async function shoot(page: Page, name: string): Promise<void> {
  const path = join(outDir, name);
  await page.screenshot({ path });
  console.log(`wrote ${path}`);
}

try {
  for (const locale of LOCALES) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
    await context.addInitScript(([key, value]) => window.localStorage.setItem(key, value), [LOCALE_STORAGE_KEY, locale] as const);
    const checkout = await context.newPage();
    const simulator = await context.newPage();
    await simulator.setViewportSize({ width: 900, height: 800 });
    await checkout.goto(station.checkoutUrl);
    if (station.simulatorUrl === undefined) throw new Error('the station serves no simulated-devices page to photograph');
    await simulator.goto(station.simulatorUrl);

    await checkout.getByTestId('sign-in').waitFor();
    await shoot(checkout, `sign-in-${locale}.png`);
    const till = new CheckoutPage(checkout);
    const panel = new SimulatorPanel(simulator);
    await till.ensureReady();

    await till.addToCart('COF-002', 'BAO-001', 'BAO-001', 'SNK-004');
    await shoot(checkout, `checkout-${locale}.png`);

    // Part of it in cash (a 50 handed over), the rest by card.
    await checkout.getByTestId('split-tender').click();
    await checkout.getByTestId('split-amount').fill('10');
    await checkout.getByTestId('pay-by-cash').click();
    await checkout.getByTestId('cash-quick-5000').click();
    await shoot(checkout, `cash-${locale}.png`);
    await checkout.getByTestId('cash-take').click();
    await till.expectStep('approved');
    await till.newSale();
    await checkout.getByTestId('partly-paid').waitFor();
    await shoot(checkout, `partly-paid-${locale}.png`);
    await simulator.getByTestId('close-drawer').click();

    await till.payByCard();
    await panel.swipe('unionpay-debit-approved');
    await till.expectStep('enter_pin');
    for (const digit of '123') await simulator.getByTestId(`pinpad-key-${digit}`).click();
    await shoot(simulator, `simulated-devices-${locale}.png`);
    for (const digit of '456') await simulator.getByTestId(`pinpad-key-${digit}`).click();
    await simulator.getByTestId('pinpad-key-enter').click();
    await till.receipt.waitFor();
    await shoot(checkout, `receipt-${locale}.png`);
    await till.newSale();

    const backOffice = new BackOfficePage(checkout);
    await backOffice.openShift();
    await backOffice.printXReport();
    await checkout.getByTestId('close-receipt').click();
    await shoot(checkout, `x-report-${locale}.png`);
    await backOffice.close();
    // The next locale starts at the sign-in screen again (the shift stays open).
    await checkout.getByTestId('header-sign-out').click();
    await context.close();
  }
} finally {
  await browser.close();
  await station.stop();
}
