/**
 * QR payments end to end on the browser target, with the bundled host's wallet platform and the
 * simulated-devices panel's virtual phone: a sale paid by merchant-presented QR (the checkout shows
 * the EMVCo code; the phone scans it, checks it and pays), and a sale paid by the customer's
 * payment code (the phone shows it, the virtual barcode scanner scans it). Both print a receipt with
 * the wallet, the masked payer and the wallet's transaction id; the first is refunded in part to the
 * wallet from the back office.
 */
import { BackOfficePage } from './fixtures/back-office-page.ts';
import { expect, test } from './fixtures/station.ts';

test.skip(({ target }) => target !== 'browser', 'the wallet platform of the bundled host runs on the browser target here');

test('merchant-presented QR: the checkout and the customer display show the code, the phone scans it and pays; receipt; part refunded to the wallet', async ({ station }) => {
  const { checkout, simulator } = station;
  const page = checkout.page;
  await checkout.addToCart('COF-001');
  await expect(checkout.total).toContainText('15.00');
  const receiptNumber = ((await page.getByTestId('sale-number').textContent()) ?? '').replace(/\D/g, '');

  await page.getByTestId('pay-by-qr').click();
  await checkout.expectStep('show_qr');
  const code = page.getByTestId('payment-qr').locator('svg');
  await expect(code).toBeVisible();
  const payload = (await code.getAttribute('data-payload')) ?? '';
  expect(payload).toMatch(/^000201010212/); // payload format 01, dynamic (12)
  expect(payload).toContain('540515.00'); // tag 54: the amount as a decimal string
  expect(payload).toContain('5303156'); // tag 53: CNY
  // The customer display draws the same code for the customer's phone, and nothing of the wallet's ids.
  const display = await station.display();
  await expect(display.page.getByTestId('display-qr').locator('svg')).toHaveAttribute('data-payload', payload);

  const phone = simulator.page.getByTestId('virtual-phone');
  await phone.getByTestId('phone-wallet').selectOption('wallet-demo');
  await phone.getByTestId('phone-scan').click();
  await expect(phone.getByTestId('phone-order')).toHaveAttribute('data-amount-minor', '1500');
  await phone.getByTestId('phone-pay').click();
  await expect(phone.getByTestId('phone-screen')).toHaveAttribute('data-tone', 'ok');

  await checkout.expectStep('approved');
  await expect(page.getByTestId('payment-payer')).toHaveText('138****0001');
  const receipt = checkout.receipt;
  await expect(receipt).toContainText('扫码支付');
  await expect(receipt).toContainText('DemoPay');
  await expect(receipt).toContainText('138****0001');
  await expect(receipt).not.toContainText('13800000001');
  await checkout.newSale();

  const backOffice = new BackOfficePage(page);
  await backOffice.openTransactions();
  await backOffice.select(receiptNumber);
  await page.locator('[data-type="qr"] [data-testid^="refund-tender-"]').click();
  await page.getByTestId('refund-amount').fill('5');
  await page.getByTestId('confirm-refund').click();
  await checkout.approve();
  await backOffice.expectStatus(receiptNumber, 'partly_refunded');
  await backOffice.close();
});

test("customer-presented QR: the phone shows its payment code, the virtual scanner scans it; receipt", async ({ station }) => {
  const { checkout, simulator } = station;
  const page = checkout.page;
  await checkout.addToCart('BAO-001');
  await page.getByTestId('scan-payment-code').click();
  await checkout.expectStep('scan_qr');

  const phone = simulator.page.getByTestId('virtual-phone');
  await phone.getByTestId('phone-wallet').selectOption('wallet-demo');
  await phone.getByTestId('phone-code').click();
  const shown = phone.getByTestId('phone-payment-code');
  await expect(shown).toHaveAttribute('data-code', /^1[0-5]\d{16}$/);
  await phone.getByTestId('phone-code-scan').click();

  await checkout.expectStep('approved');
  const receipt = checkout.receipt;
  await expect(receipt).toContainText('扫码支付');
  await expect(receipt).toContainText('138****0001');
  // The payment code went to the payment, never to the item lookup.
  await expect(page.getByTestId('scan-message')).toBeHidden();
  await checkout.newSale();
});
