/**
 * Dialogs behave as dialogs on the real checkout: focus moves in, Tab stays inside, Escape closes
 * what the cashier may close and focus goes back to the control that opened it; a payment still
 * running is not cancelled by a stray Escape, a finished one is closed by it.
 */
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures/station.ts';

async function expectFocusInside(dialog: Locator): Promise<void> {
  await expect.poll(() => dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
}

test('the cash dialog takes focus, keeps Tab inside, closes on Escape and gives focus back', async ({ station }) => {
  const { checkout } = station;
  const page = checkout.page;
  await checkout.addToCart('TEA-001');
  await page.getByTestId('pay-by-cash').click();
  const dialog = page.getByTestId('cash-dialog');
  await expect(page.getByTestId('cash-received')).toBeFocused();
  for (let press = 0; press < 12; press++) {
    await page.keyboard.press(press % 3 === 2 ? 'Shift+Tab' : 'Tab');
    await expectFocusInside(dialog);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('pay-by-cash')).toBeFocused();
});

test('the transactions view, and the supervisor approval over a refund, close on Escape one at a time', async ({ station }) => {
  const { checkout } = station;
  const page = checkout.page;
  await checkout.addToCart('TEA-001');
  await checkout.payByCash('10');
  await checkout.newSale();
  await page.getByTestId('open-transactions').click();
  const view = page.getByTestId('transactions-view');
  await expectFocusInside(view);
  await page.locator('[data-testid^="sale-"][data-status="paid"]').first().click();
  await page.locator('[data-testid="sale-detail"] [data-type="cash"] [data-testid^="refund-tender-"]').click();
  await expectFocusInside(page.getByTestId('refund-dialog'));
  await page.getByTestId('confirm-refund').click();
  await expect(page.getByTestId('approval-operator')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('approval-dialog')).toBeHidden();
  await expect(page.getByTestId('refund-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('refund-dialog')).toBeHidden();
  await expect(view).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(view).toBeHidden();
  await expect(page.getByTestId('open-transactions')).toBeFocused();
});

test('Escape does not cancel a payment in flight; it closes one that has ended', async ({ station }) => {
  const { checkout } = station;
  const page = checkout.page;
  await checkout.addToCart('TEA-001');
  await checkout.payByCard();
  await expectFocusInside(page.getByTestId('payment-panel'));
  await page.keyboard.press('Escape');
  await checkout.expectStep('present_card');
  await page.getByTestId('cancel-payment').click();
  await checkout.expectStep('cancelled');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('payment-panel')).toBeHidden();
});
