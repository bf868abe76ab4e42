/**
 * Refund, void, balance inquiry and end of day through the checkout UI, on the real station with
 * its bundled host: the cashier's clicks, the simulated card reader and PIN pad, ISO 8583 over TCP,
 * and the results the station journals and the host confirms.
 */
import { expect, test } from './fixtures/station.ts';
import { BackOfficePage } from './fixtures/back-office-page.ts';
import type { Station } from './fixtures/station.ts';

/** Rings up one item and pays by card; answers the sale's RRN once the till is clear again. */
async function sale(station: Station, sku: string, cardId: string, pin: string): Promise<string> {
  const { checkout, simulator } = station;
  await checkout.addToCart(sku);
  await checkout.payByCard();
  await simulator.swipe(cardId);
  await checkout.expectStep('enter_pin');
  await simulator.enterPin(pin);
  await checkout.expectStep('approved');
  const rrn = (await checkout.page.getByTestId('rrn').textContent())?.trim() ?? '';
  expect(rrn).toMatch(/^\d{12}$/);
  // The receipt prints after the approval; closing the sale before it arrives would leave it over the till.
  await expect(checkout.receipt).toContainText(rrn);
  await checkout.newSale();
  await expect(checkout.page.getByTestId('checkout-overlay')).toBeHidden();
  return rrn;
}

test('the status bar shows the bank link signed on', async ({ station }) => {
  const backOffice = new BackOfficePage(station.checkout.page);
  await expect(backOffice.linkStatus).toHaveAttribute('data-state', 'up');
  await expect.poll(() => station.output().some((line) => /\[host\].* 0800 .*rc=00 .*\(sign-on\)/.test(line))).toBe(true);
});

test('a sale is refunded in part from the transactions view, with the same card and no PIN', async ({ station }) => {
  const { checkout, simulator } = station;
  const backOffice = new BackOfficePage(checkout.page);
  const rrn = await sale(station, 'HOM-002', 'mastercard-2series-credit', '2468'); // 39.00

  await backOffice.openTransactions();
  await backOffice.refund(rrn, 1250);
  await simulator.swipe('mastercard-2series-credit');
  await checkout.expectStep('approved');
  await expect(checkout.page.getByTestId('payment-amount')).toContainText('12.50');
  await expect(checkout.page.getByTestId('step-indicator')).not.toContainText(/PIN|密码/);
  await checkout.newSale();
  await expect.poll(() => station.output().some((line) => /\[host\].* 0200 stan=\d{6} tid=POS00001 pan=222300\*{6}0010 rc=00/.test(line))).toBe(true);

  await backOffice.openTransactions();
  await expect(backOffice.page.locator('[data-kind="refund"][data-status="approved"]').first()).toBeVisible();
  // 26.50 is left: the purchase keeps its Refund action, and loses Void while a refund stands.
  await expect(backOffice.transaction(rrn).locator('[data-testid^="refund-"]')).toBeVisible();
  await expect(backOffice.transaction(rrn).locator('[data-testid^="void-"]')).toHaveCount(0);
  await backOffice.close();
});

test('a sale of the open batch is voided, and the host confirms it', async ({ station }) => {
  const backOffice = new BackOfficePage(station.checkout.page);
  const rrn = await sale(station, 'DUM-001', 'jcb-credit', '1234');

  await backOffice.openTransactions();
  await backOffice.void(rrn);
  await expect(backOffice.page.getByTestId('void-result')).toHaveAttribute('data-outcome', 'voided');
  await backOffice.expectStatus(rrn, 'voided');
  await backOffice.close();
  await expect.poll(() => station.output().some((line) => /\[host\].* 0400 stan=\d{6} tid=POS00001 .*rc=00 .*reversed purchase/.test(line))).toBe(true);
});

test('a balance inquiry shows the balances with the card and PIN', async ({ station }) => {
  const { checkout, simulator } = station;
  const backOffice = new BackOfficePage(checkout.page);
  await backOffice.balanceInquiry();
  await simulator.swipe('visa-credit');
  await checkout.expectStep('enter_pin');
  await simulator.enterPin('1234');
  await checkout.expectStep('approved');
  await expect(checkout.page.getByTestId('balance-available')).toBeVisible();
  await expect(checkout.page.getByTestId('balance-ledger')).toBeVisible();
  await checkout.newSale();
});

test('end of day settles the batch with the host and shows its report', async ({ station }) => {
  const backOffice = new BackOfficePage(station.checkout.page);
  await sale(station, 'SNK-001', 'visa-credit', '1234');
  await backOffice.openSettlement();
  const batch = await backOffice.page.getByTestId('open-batch-report').getAttribute('data-batch');
  const closed = await backOffice.settle();
  await expect(closed.getByTestId('settlement-result')).toHaveAttribute('data-result', 'in_balance');
  await expect(closed.getByTestId('report-debits')).not.toHaveAttribute('data-count', '0');
  await expect(backOffice.page.getByTestId('open-batch-report')).toHaveAttribute('data-batch', String(Number(batch) + 1).padStart(6, '0'));
  await expect(backOffice.page.getByTestId(`batch-${batch}`)).toBeVisible();
  await backOffice.close();
  await expect.poll(() => station.output().some((line) => /\[host\].* 0500 stan=\d{6} tid=POS00001 .*rc=00/.test(line))).toBe(true);
});
