/**
 * A day at the till, end to end on the browser target: a sale rung up and paid part in cash, part by
 * card; its receipt with the VAT per rate, the cash handed over and the change; the station
 * restarted, and the receipt printed again from the journal; then the X report mid-shift and the Z
 * report at the blind close. Real layers throughout: the checkout UI, the station server, the
 * virtual devices at the USB level, ISO 8583 over TCP to the bundled host, the SQLite journal.
 */
import type { Browser, BrowserContext } from '@playwright/test';
import { BackOfficePage } from './fixtures/back-office-page.ts';
import { startBrowserStationProcess, type BrowserStationProcess } from './fixtures/browser-station-process.ts';
import { CheckoutPage } from './fixtures/checkout-page.ts';
import { SimulatorPanel } from './fixtures/simulator-panel.ts';
import { expect, test } from './fixtures/station.ts';

async function open(browser: Browser, station: BrowserStationProcess): Promise<{ context: BrowserContext; checkout: CheckoutPage; simulator: SimulatorPanel }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const checkoutPage = await context.newPage();
  const simulatorPage = await context.newPage();
  await checkoutPage.goto(station.checkoutUrl);
  if (!station.simulatorUrl) throw new Error('the station serves no simulated-devices page');
  await simulatorPage.goto(station.simulatorUrl);
  const checkout = new CheckoutPage(checkoutPage);
  await checkout.ensureReady();
  return { context, checkout, simulator: new SimulatorPanel(simulatorPage) };
}

test('split tender: part cash, part card; the receipt shows VAT, tendered and change; reprinted after a restart; X and Z reports', async ({ target, stationBrowser }) => {
  test.skip(target !== 'browser' || stationBrowser === undefined, 'restarting the station process is a browser-target step');
  // Two station start-ups and a whole shift: longer than one spec's default, bounded all the same.
  test.setTimeout(180_000);
  const browser = stationBrowser!;
  const first = await startBrowserStationProcess();
  let second: BrowserStationProcess | undefined;
  try {
    const { context, checkout, simulator } = await open(browser, first);
    const page = checkout.page;
    // The checkout starts in the merchant's zh-CN; the receipt prints in it too.
    await checkout.addToCart('COF-001', 'BAO-001', 'BAO-001'); // 15.00 at 13 %, 2 × 3.00 at 9 %
    await expect(checkout.total).toContainText('21.00');
    const receiptNumber = ((await page.getByTestId('sale-number').textContent()) ?? '').replace(/\D/g, '');

    // 10.00 of it in cash, with a 50 handed over.
    await page.getByTestId('split-tender').click();
    await page.getByTestId('split-amount').fill('10');
    await page.getByTestId('pay-by-cash').click();
    await page.getByTestId('cash-quick-5000').click();
    await expect(page.getByTestId('cash-change')).toHaveAttribute('data-amount-minor', '4000');
    await page.getByTestId('cash-take').click();
    await checkout.expectStep('approved');
    await expect(page.getByTestId('payment-change')).toHaveAttribute('data-amount-minor', '4000');
    await checkout.newSale();
    await expect(page.getByTestId('partly-paid')).toBeVisible();
    await expect(page.getByTestId('cart-due')).toContainText('11.00');
    await expect(simulator.page.getByTestId('cash-drawer')).toHaveAttribute('data-open', 'true');
    await simulator.page.getByTestId('close-drawer').click();
    await expect(simulator.page.getByTestId('cash-drawer')).toHaveAttribute('data-open', 'false');

    // The rest, 11.00, by card.
    await checkout.payByCard();
    await simulator.swipe('unionpay-debit-approved');
    await checkout.expectStep('enter_pin');
    await simulator.enterPin('123456');
    await checkout.expectStep('approved');
    const receipt = checkout.receipt;
    await expect(receipt).toContainText('销售小票');
    await expect(receipt).toContainText(receiptNumber);
    await expect(receipt).toContainText(/增值税 13% \(15\.00\)\s+1\.73/);
    await expect(receipt).toContainText(/增值税 9% \(6\.00\)\s+0\.50/);
    await expect(receipt).toContainText(/实收现金\s+CNY 50\.00/);
    await expect(receipt).toContainText(/找零\s+CNY 40\.00/);
    await expect(receipt).toContainText(/银行卡\s+CNY 11\.00/);
    await expect(receipt).toContainText('621234******1232');
    await checkout.newSale();
    await expect(page.getByTestId('cart')).toHaveAttribute('data-status', 'none');
    await context.close();
    await first.stop();

    // The station restarts on the same data directory: the receipt comes back from the journal.
    second = await startBrowserStationProcess({ dataDir: first.dataDir });
    const again = await open(browser, second);
    const backOffice = new BackOfficePage(again.checkout.page);
    await backOffice.openTransactions();
    await backOffice.select(receiptNumber);
    await again.checkout.page.getByTestId('reprint-sale').click();
    const reprinted = again.checkout.receipt;
    await expect(reprinted).toContainText('*** 重打印 ***');
    await expect(reprinted).toContainText(/增值税 13% \(15\.00\)\s+1\.73/);
    await expect(reprinted).toContainText(/找零\s+CNY 40\.00/);
    await again.checkout.page.getByTestId('close-receipt').click();
    await backOffice.close();

    // Mid-shift: the X report, on screen and printed in the receipt's language.
    await backOffice.openShift();
    const x = await backOffice.printXReport();
    await expect(x.getByTestId('report-sales')).toHaveAttribute('data-amount-minor', '2100');
    await expect(x.getByTestId('report-tender-cash')).toHaveAttribute('data-amount-minor', '1000');
    await expect(x.getByTestId('report-tender-card')).toHaveAttribute('data-amount-minor', '1100');
    await expect(x.getByTestId('report-vat-900')).toHaveAttribute('data-vat-minor', '50');
    await expect(x.getByTestId('report-expected')).toHaveAttribute('data-amount-minor', '21000');
    await expect(again.checkout.receipt).toContainText('X 报表');
    await again.checkout.page.getByTestId('close-receipt').click();

    // End of day: the blind count (one yuan short), then the Z report.
    const z = await backOffice.closeShift('209');
    await expect(z.getByTestId('report-over-short')).toHaveAttribute('data-sign', 'short');
    await expect(z.getByTestId('report-over-short')).toHaveAttribute('data-amount-minor', '100');
    await expect(again.checkout.receipt).toContainText('Z 报表');
    await expect(again.checkout.receipt).toContainText(/短款\s+CNY 1\.00/);
    await again.context.close();
  } finally {
    await first.stop();
    await second?.stop();
  }
});
