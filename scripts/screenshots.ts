/**
 * `npm run screenshots`: regenerates docs/screenshots from the running product, in zh-CN and en: the
 * sign-in screen, the checkout with a sale rung up (at 1280×800 and at 800×600), the cash dialog of a
 * split tender, the partly paid sale, the customer display (the sale, the card prompt, thank you with
 * the change), the simulated-devices panel asking for the card part's PIN, the receipt with VAT,
 * tendered and change, and the X report. It drives the browser target with the end-to-end tests'
 * own page objects (test/e2e/fixtures/).
 *
 * Reproducible: a fresh data directory (the same receipt numbers and catalog each run), one fixed
 * instant for the station, its host and the pages (scripts/fixed-clock.ts, Playwright's clock), one
 * time zone, no animations or caret; what is still random by design (the host's approval codes, the
 * port it listens on) is masked. A run with no UI change leaves the pictures as they are.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type Locator, type Page } from '@playwright/test';
import { BackOfficePage } from '../test/e2e/fixtures/back-office-page.ts';
import { startBrowserStationProcess } from '../test/e2e/fixtures/browser-station-process.ts';
import { CheckoutPage } from '../test/e2e/fixtures/checkout-page.ts';
import { SimulatorPanel } from '../test/e2e/fixtures/simulator-panel.ts';

const root = resolve(import.meta.dirname, '..');
const outDir = join(root, 'docs', 'screenshots');
const LOCALES = ['zh-CN', 'en'] as const;
const LOCALE_STORAGE_KEY = 'pos.locale';
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
const FIXED_CLOCK = '2026-11-21T02:30:00.000Z';
const TIME_ZONE = 'Asia/Shanghai';
/** Software rasterising with no hinting or subpixel positioning: the same pixels for the same page on every run. */
const DETERMINISTIC_RENDERING = ['--disable-gpu', '--font-render-hinting=none', '--disable-font-subpixel-positioning', '--disable-lcd-text', '--force-color-profile=srgb', '--force-device-scale-factor=1'];

if (spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '-c', 'vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
await mkdir(outDir, { recursive: true });
// The station and its host inherit these (NODE_OPTIONS reaches every Node process it starts).
process.env['POS_FIXED_CLOCK'] = FIXED_CLOCK;
process.env['TZ'] = TIME_ZONE;
process.env['NODE_OPTIONS'] = `${process.env['NODE_OPTIONS'] ?? ''} --import=${join(root, 'scripts', 'fixed-clock.ts')}`.trim();
const station = await startBrowserStationProcess();
const browser = await chromium.launch({ ...(SYSTEM_CHROMIUM ? { executablePath: SYSTEM_CHROMIUM } : {}), args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', ...DETERMINISTIC_RENDERING] });
/** A blank page of the same browser that compares a new picture with the committed one. */
const comparer = browser.newPage();

/** Random by design, whatever the clock: where the host listens, and the approval codes it hands out. */
function randomParts(page: Page): Locator[] {
  return [page.getByTestId('acquirer-host'), page.getByTestId('approval-code'), page.getByTestId('receipt-preview').getByText(/^\s*(授权码|Approval code)/)];
}

/**
 * How many pixels of two same-sized PNGs differ by more than the rasteriser's noise, counted in a
 * page of the same Chromium (no image library needed). Rounded borders over translucent colours can
 * come out a shade apart from run to run; a UI change moves far more than NOISE_PIXELS.
 */
const NOISE_PIXELS = 64;
/** A channel this close is the same colour to the eye. */
const NOISE_DELTA = 24;
async function changedPixels(before: Buffer, after: Buffer): Promise<number> {
  const page = await comparer;
  return page.evaluate(
    async ([a, b, NOISE_DELTA]) => {
      const load = (base64: string) =>
        new Promise<HTMLImageElement>((resolvePromise, reject) => {
          const image = new Image();
          image.onload = () => resolvePromise(image);
          image.onerror = reject;
          image.src = `data:image/png;base64,${base64}`;
        });
      const [imageA, imageB] = await Promise.all([load(a), load(b)]);
      if (imageA.width !== imageB.width || imageA.height !== imageB.height) return Number.POSITIVE_INFINITY;
      const pixels = (image: HTMLImageElement) => {
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        return context.getImageData(0, 0, image.width, image.height).data;
      };
      const [dataA, dataB] = [pixels(imageA), pixels(imageB)];
      let changed = 0;
      for (let index = 0; index < dataA.length; index += 4) {
        const delta = Math.max(Math.abs(dataA[index]! - dataB[index]!), Math.abs(dataA[index + 1]! - dataB[index + 1]!), Math.abs(dataA[index + 2]! - dataB[index + 2]!));
        if (delta > NOISE_DELTA) changed += 1;
      }
      return changed;
    },
    [before.toString('base64'), after.toString('base64'), NOISE_DELTA] as const,
  );
}

async function shoot(page: Page, name: string): Promise<void> {
  const path = join(outDir, name);
  // No hover left over from the last click, and no device caught mid-job.
  await page.mouse.move(0, 0);
  await page.waitForFunction(() => document.querySelector('[data-state="busy"]') === null);
  const taken = await page.screenshot({ animations: 'disabled', caret: 'hide', mask: randomParts(page), maskColor: '#d9dee7' });
  if (existsSync(path) && (await changedPixels(readFileSync(path), taken)) <= NOISE_PIXELS) {
    console.log(`unchanged ${path}`);
    return;
  }
  writeFileSync(path, taken);
  console.log(`wrote ${path}`);
}

try {
  for (const locale of LOCALES) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale, timezoneId: TIME_ZONE });
    await context.clock.setFixedTime(new Date(FIXED_CLOCK));
    await context.addInitScript(([key, value]) => window.localStorage.setItem(key, value), [LOCALE_STORAGE_KEY, locale] as const);
    const checkout = await context.newPage();
    const simulator = await context.newPage();
    await simulator.setViewportSize({ width: 900, height: 800 });
    const display = await context.newPage();
    await display.setViewportSize({ width: 1024, height: 600 });
    await checkout.goto(station.checkoutUrl);
    if (station.simulatorUrl === undefined) throw new Error('the station serves no simulated-devices page to photograph');
    await simulator.goto(station.simulatorUrl);
    const displayUrl = station.pages['display.html'];
    if (displayUrl === undefined) throw new Error('the station serves no customer display to photograph');
    await display.goto(displayUrl);

    await checkout.getByTestId('sign-in').waitFor();
    await shoot(checkout, `sign-in-${locale}.png`);
    const till = new CheckoutPage(checkout);
    const panel = new SimulatorPanel(simulator);
    await till.ensureReady();

    await till.addToCart('COF-002', 'BAO-001', 'BAO-001', 'SNK-004');
    await shoot(checkout, `checkout-${locale}.png`);
    await checkout.setViewportSize({ width: 800, height: 600 });
    await shoot(checkout, `checkout-800x600-${locale}.png`);
    await checkout.setViewportSize({ width: 1280, height: 800 });
    await display.getByTestId('display-lines').getByRole('listitem').nth(2).waitFor();
    await shoot(display, `customer-display-${locale}.png`);

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
    await display.getByTestId('display-tender').and(display.locator('[data-step="present_card"]')).waitFor();
    await shoot(display, `customer-display-card-${locale}.png`);
    await panel.swipe('unionpay-debit-approved');
    await till.expectStep('enter_pin');
    for (const digit of '123') await simulator.getByTestId(`pinpad-key-${digit}`).click();
    await shoot(simulator, `simulated-devices-${locale}.png`);
    for (const digit of '456') await simulator.getByTestId(`pinpad-key-${digit}`).click();
    await simulator.getByTestId('pinpad-key-enter').click();
    await till.receipt.waitFor();
    await shoot(checkout, `receipt-${locale}.png`);
    await till.newSale();

    // A cash sale of its own, to show the customer the change.
    await till.addToCart('TEA-001', 'WAT-001');
    await till.payByCash('20');
    await display.getByTestId('display-change').waitFor();
    await shoot(display, `customer-display-thank-you-${locale}.png`);
    await till.newSale();
    await simulator.getByTestId('close-drawer').click();

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
