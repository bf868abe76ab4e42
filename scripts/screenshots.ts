/**
 * `npm run screenshots`: regenerates docs/screenshots from the running product — the checkout with a
 * cart, the simulated-devices panel asking for a PIN, and the receipt preview after an approved sale —
 * in zh-CN and en. It drives the browser target exactly as the end-to-end tests do.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { startBrowserStationProcess } from '../test/e2e/fixtures/browser-station-process.ts';

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

    for (const sku of ['COF-002', 'BAO-001', 'BAO-001', 'SNK-004']) await checkout.getByTestId(`product-${sku}`).click();
    await shoot(checkout, `checkout-${locale}.png`);

    await checkout.getByTestId('pay-by-card').click();
    await simulator.getByTestId('swipe-unionpay-debit-approved').click();
    await checkout.getByTestId('payment-step').and(checkout.locator('[data-step="enter_pin"]')).waitFor();
    for (const digit of '123') await simulator.getByTestId(`pinpad-key-${digit}`).click();
    await shoot(simulator, `simulated-devices-${locale}.png`);

    for (const digit of '456') await simulator.getByTestId(`pinpad-key-${digit}`).click();
    await simulator.getByTestId('pinpad-key-enter').click();
    await checkout.getByTestId('receipt-preview').waitFor();
    await shoot(checkout, `receipt-${locale}.png`);
    await checkout.getByTestId('new-sale').click();
    await context.close();
  }
} finally {
  await browser.close();
  await station.stop();
}
