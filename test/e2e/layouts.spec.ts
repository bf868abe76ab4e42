/**
 * The checkout on every counter screen: at 800×600, 1024×768, 1280×800, 1366×768 and 1920×1080 the
 * cart, its total and the ways to pay are in view with a long sale on the till, the cart's lines
 * scroll to the last one, nothing is wider than the window, the merchant's name is whole (in both
 * languages), and every control is a touch target of at least 44 px. On a touch screen
 * (hasTouch) a sale is rung up and paid with taps.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures/station.ts';

const SCREENS = [
  { width: 800, height: 600 },
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

/** Visible controls smaller than a finger: buttons, inputs, and the labels that carry a checkbox. */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('button, input:not([type="checkbox"]), select, label:has(input[type="checkbox"])'))
      .filter((element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden')
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ box }) => Math.round(box.height) < 44 || Math.round(box.width) < 44)
      .map(({ element, box }) => `${element.tagName.toLowerCase()}[${element.dataset['testid'] ?? element.textContent?.trim().slice(0, 20)}] ${Math.round(box.width)}×${Math.round(box.height)}`),
  );
}

async function expectWhole(locator: Locator): Promise<void> {
  await expect(locator).toBeInViewport({ ratio: 1 });
}

test('the checkout fits every counter screen: cart, total and pay always in view, in both languages', async ({ station }) => {
  const { checkout } = station;
  const page = checkout.page;
  // Eight lines: more than the cart shows at once on the small screens.
  await checkout.addToCart('COF-001', 'COF-002', 'TEA-001', 'WAT-001', 'BAO-001', 'NOO-001', 'EGG-001', 'HOM-002');
  for (const locale of ['zh-CN', 'en'] as const) {
    if ((await page.evaluate(() => document.documentElement.lang)) !== locale) await page.getByTestId('locale-toggle').click();
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    for (const screen of SCREENS) {
      await test.step(`${screen.width}×${screen.height} ${locale}`, async () => {
        await page.setViewportSize(screen);
        for (const testId of ['cart-total', 'pay-by-card', 'pay-by-cash', 'cancel-sale']) await expectWhole(page.getByTestId(testId));
        await expect(page.getByTestId('cart')).toBeInViewport();
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'nothing is wider than the window').toBe(true);
        const merchant = page.getByTestId('merchant-name');
        await expectWhole(merchant);
        expect(await merchant.evaluate((element) => element.scrollWidth <= element.clientWidth), 'the merchant name is not cut').toBe(true);
        // The last line scrolls into view inside the cart, and the total stays where it was.
        const lastLine = page.getByTestId('cart-line-HOM-002');
        await lastLine.scrollIntoViewIfNeeded();
        // (Whole but for sub-pixel rounding at the scroller's edge.)
        await expect(lastLine).toBeInViewport({ ratio: 0.95 });
        await expectWhole(page.getByTestId('cart-total'));
        await expectWhole(page.getByTestId('catalog-search'));
        await expect(page.getByTestId('catalog-grid')).toBeInViewport();
        expect(await smallTargets(page)).toEqual([]);
      });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  if ((await page.evaluate(() => document.documentElement.lang)) !== 'zh-CN') await page.getByTestId('locale-toggle').click();
});

test("the simulated-devices panel's controls, its fault checkboxes too, are touch targets of 44 px", async ({ station }) => {
  expect(await smallTargets(station.simulator.page)).toEqual([]);
});

test.describe('on a touch screen', () => {
  test.skip(({ target }) => target !== 'browser', 'a touch context of its own is a browser-target step');

  test('a sale is rung up and paid in cash with taps', async ({ station, stationBrowser }) => {
    const context = await stationBrowser!.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    try {
      const page = await context.newPage();
      await page.goto(station.server!.pages['index.html']!);
      await expect(page.getByTestId('operator').or(page.getByTestId('sign-in')).first()).toBeVisible();
      // The fixture's own checkout has the cashier signed in; this screen shares the station's session.
      await expect(page.getByTestId('operator')).toBeVisible();
      await page.getByTestId('product-TEA-001').tap();
      await expect(page.getByTestId('cart-quantity-TEA-001')).toHaveText('1');
      await page.getByTestId('pay-by-cash').tap();
      await page.getByTestId('cash-quick-1000').tap();
      await page.getByTestId('cash-take').tap();
      await expect(page.getByTestId('payment-step')).toHaveAttribute('data-step', 'approved');
      await expect(page.getByTestId('payment-change')).toHaveAttribute('data-amount-minor', '550');
      await page.getByTestId('new-sale').tap();
      expect(await smallTargets(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
