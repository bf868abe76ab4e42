/**
 * axe-core (WCAG 2.x A/AA and best practices) on the real pages of the running station, in both
 * languages: the sign-in and shift gates, the checkout empty and with a sale, the cash and discount
 * dialogs, the payment dialog while it runs and once it ended with its receipt, the transactions view
 * with a sale's detail, the refund and supervisor-approval dialogs, the shift and end-of-day views,
 * the simulated-devices panel and the customer display on each of its screens. Every scan must find
 * nothing; a failure lists each rule and the elements it found.
 */
import type { Page } from '@playwright/test';
import { axeViolations } from './fixtures/axe.ts';
import { BackOfficePage } from './fixtures/back-office-page.ts';
import { expect, test } from './fixtures/station.ts';

for (const locale of ['zh-CN', 'en'] as const) {
  test(`axe-core finds no violations on any screen or dialog (${locale})`, async ({ station }) => {
    // Some twenty scans of full pages: longer than one spec's default, bounded all the same.
    test.setTimeout(240_000);
    const { checkout, simulator } = station;
    const page = checkout.page;
    const display = await station.display();
    const found: string[] = [];
    const scan = async (screen: string, on: Page) => {
      for (const violation of await axeViolations(on)) found.push(`[${locale}] ${screen}: ${violation}`);
    };

    // The language is the page's own choice, kept in localStorage and followed by the other pages.
    const current = await page.evaluate(() => document.documentElement.lang);
    if (current !== locale) await page.getByTestId('locale-toggle').click();
    for (const shown of [page, display.page, simulator.page]) await expect(shown.locator('html')).toHaveAttribute('lang', locale);

    // The gates: signed out, then signed in with no shift is not reachable without closing the shift; the sign-in is.
    await page.getByTestId('header-sign-out').click();
    await expect(page.getByTestId('sign-in')).toBeVisible();
    await scan('sign-in', page);
    await checkout.ensureReady();

    await scan('checkout, empty', page);
    await scan('customer display, idle', display.page);
    await scan('simulated devices', simulator.page);

    await checkout.addToCart('COF-001', 'BAO-001');
    await scan('checkout, a sale', page);
    await scan('customer display, a sale', display.page);

    await page.getByTestId('sale-discount').click();
    await expect(page.getByTestId('discount-dialog')).toBeVisible();
    await scan('discount dialog', page);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('discount-dialog')).toBeHidden();

    await checkout.payByCard();
    await scan('payment dialog, card presented', page);
    await scan('customer display, insert tap or swipe', display.page);
    await page.getByTestId('cancel-payment').click();
    await checkout.expectStep('cancelled');
    await scan('payment dialog, cancelled', page);
    await checkout.newSale();

    await page.getByTestId('pay-by-cash').click();
    await expect(page.getByTestId('cash-dialog')).toBeVisible();
    await scan('cash dialog', page);
    await page.getByTestId('cash-received').fill('50');
    await page.getByTestId('cash-take').click();
    await checkout.expectStep('approved');
    await expect(checkout.receipt).toBeVisible();
    await scan('payment dialog, approved, with the receipt', page);
    await expect(display.root).toHaveAttribute('data-screen', 'thank_you');
    await scan('customer display, thank you', display.page);
    await checkout.newSale();

    const backOffice = new BackOfficePage(page);
    await backOffice.openTransactions();
    const newest = page.locator('[data-testid^="sale-"][data-status="paid"]').first();
    await newest.click();
    await expect(backOffice.detail).toBeVisible();
    await scan('transactions, a sale in detail', page);
    await backOffice.detail.locator('[data-type="cash"] [data-testid^="refund-tender-"]').click();
    await expect(page.getByTestId('refund-dialog')).toBeVisible();
    await scan('refund dialog', page);
    await page.getByTestId('confirm-refund').click();
    await expect(page.getByTestId('approval-dialog')).toBeVisible();
    await scan('supervisor approval dialog', page);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('approval-dialog')).toBeHidden();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('refund-dialog')).toBeHidden();
    await backOffice.close();

    await page.getByTestId('open-shift-view').click();
    await expect(page.getByTestId('shift-view')).toBeVisible();
    await scan('shift view', page);
    await backOffice.close();
    await page.getByTestId('open-settlement').click();
    await expect(page.getByTestId('settlement-view')).toBeVisible();
    await scan('end of day', page);
    await backOffice.close();

    expect(found, found.join('\n')).toEqual([]);
  });
}
