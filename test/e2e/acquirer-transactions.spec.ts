/**
 * Refund, void, balance inquiry and end of day through the checkout UI, on the real station with
 * its bundled host: the cashier's clicks, a supervisor's approval in place, the simulated card
 * reader and PIN pad, ISO 8583 over TLS, and the results the station journals and the host confirms.
 */
import { expect, test } from './fixtures/station.ts';
import { BackOfficePage } from './fixtures/back-office-page.ts';
import type { Station } from './fixtures/station.ts';

/** Rings up one item and pays by card; answers the sale's receipt number and RRN once the till is clear again. */
async function sale(station: Station, sku: string, cardId: string, pin: string): Promise<{ receipt: string; rrn: string }> {
  const { checkout, simulator } = station;
  await checkout.addToCart(sku);
  const receipt = ((await checkout.page.getByTestId('sale-number').textContent()) ?? '').replace(/\D/g, '');
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
  return { receipt, rrn };
}

test('the status bar shows the bank link signed on, over TLS with the certificate the bundled host enrolled', async ({ station }) => {
  const backOffice = new BackOfficePage(station.checkout.page);
  await expect(backOffice.linkStatus).toHaveAttribute('data-state', 'up');
  await expect(backOffice.linkStatus).toHaveAttribute('data-transport', 'tls');
  await expect(station.checkout.page.getByTestId('link-not-encrypted')).toHaveCount(0);
  await expect.poll(() => station.output().some((line) => /\[host\].* 0800 .*rc=00 .*\(sign-on\)/.test(line))).toBe(true);
  expect(station.output().some((line) => /\[host\].*accepted: TLSv1\.3, client certificate for terminal POS00001/.test(line))).toBe(true);
  expect(station.output().some((line) => line.startsWith('acquirer link: TLS 1.3 to 127.0.0.1:'))).toBe(true);
});

test('a card sale is refunded in part from the transactions view: a supervisor approves, the same card, no PIN', async ({ station }) => {
  const { checkout, simulator } = station;
  const backOffice = new BackOfficePage(checkout.page);
  const { receipt } = await sale(station, 'HOM-002', 'mastercard-2series-credit', '2468'); // 39.00

  await backOffice.openTransactions();
  await backOffice.select(receipt);
  await backOffice.refund('card', '12.50');
  await expect(checkout.page.getByTestId('payment-panel')).toHaveAttribute('data-kind', 'refund');
  await simulator.swipe('mastercard-2series-credit');
  await checkout.expectStep('approved');
  await expect(checkout.page.getByTestId('payment-amount')).toContainText('12.50');
  await expect(checkout.page.getByTestId('step-indicator')).not.toContainText(/PIN|密码/);
  await checkout.newSale();
  await expect.poll(() => station.output().some((line) => /\[host\].* 0200 stan=\d{6} tid=POS00001 pan=222300\*{6}0010 rc=00/.test(line))).toBe(true);

  await backOffice.openTransactions();
  await backOffice.expectStatus(receipt, 'partly_refunded');
  await backOffice.select(receipt);
  await expect(backOffice.detail.locator('[data-kind="refund"][data-status="approved"]')).toBeVisible();
  // 26.50 is left: the tender can still be refunded; a sale with refunds standing cannot be voided.
  await expect(backOffice.detail.locator('[data-type="card"] [data-testid^="refund-tender-"]')).toBeVisible();
  await expect(checkout.page.getByTestId('void-sale')).toHaveCount(0);
  await backOffice.close();
});

test('a card sale of the open batch is voided with a supervisor\'s approval, and the host confirms it', async ({ station }) => {
  const backOffice = new BackOfficePage(station.checkout.page);
  const { receipt } = await sale(station, 'DUM-001', 'jcb-credit', '1234');

  await backOffice.openTransactions();
  await backOffice.select(receipt);
  const result = await backOffice.void();
  await expect(result.locator('[data-fate]')).toHaveAttribute('data-fate', 'voided');
  await station.checkout.page.getByTestId('close-given-back').click();
  await backOffice.expectStatus(receipt, 'voided');
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

test('end of day shows the totals it will send, and settles the batch with the host once confirmed and approved', async ({ station }) => {
  const backOffice = new BackOfficePage(station.checkout.page);
  await sale(station, 'SNK-001', 'visa-credit', '1234');
  await backOffice.openSettlement();
  const batch = await backOffice.page.getByTestId('open-batch-report').getAttribute('data-batch');
  const closed = await backOffice.settle();
  await expect(closed.getByTestId('settlement-result')).toHaveAttribute('data-result', 'in_balance');
  await expect(closed.getByTestId('report-debits')).not.toHaveAttribute('data-count', '0');
  await expect(backOffice.page.getByTestId('open-batch-report')).toHaveAttribute('data-batch', String(Number(batch) + 1).padStart(6, '0'));
  await expect(backOffice.page.getByTestId('settle-batch')).toBeDisabled();
  await expect(backOffice.page.getByTestId(`batch-${batch}`)).toBeVisible();
  await backOffice.close();
  await expect.poll(() => station.output().some((line) => /\[host\].* 0500 stan=\d{6} tid=POS00001 .*rc=00/.test(line))).toBe(true);
});
