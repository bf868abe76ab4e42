/**
 * Device trouble shows before it matters: with the card reader or the PIN pad unplugged, card
 * payment is off and says why; a printer out of paper is said before the sale, and paying asks
 * whether to go on without a receipt (and the receipt prints once paper is back); a reader that
 * goes away while the customer is asked for their card changes the prompt at once.
 */
import { expect, test } from './fixtures/station.ts';

test('card payment is off, with the reason, while both card readers or the PIN pad are unplugged', async ({ station }) => {
  const { checkout, simulator } = station;
  const page = checkout.page;
  await checkout.addToCart('TEA-001');
  await expect(page.getByTestId('pay-by-card')).toBeEnabled();
  // Both readers must go for the card to have nowhere to be read: the stripe reader and the chip reader (insert or tap).
  for (const [devices, reason] of [[['cardReader', 'chipReader'], 'card_reader_missing'], [['pinPad'], 'pin_pad_missing']] as const) {
    for (const device of devices) await simulator.unplug(device);
    await expect(page.getByTestId('pay-by-card')).toBeDisabled();
    await expect(page.getByTestId('card-blocked')).toHaveAttribute('data-reason', reason);
    // Named for assistive technology too: the button is described by the reason.
    await expect(page.getByTestId('pay-by-card')).toHaveAccessibleDescription(await page.getByTestId('card-blocked').innerText());
    await expect(page.getByTestId('pay-by-cash')).toBeEnabled();
    for (const device of devices) await simulator.plug(device);
    await expect(page.getByTestId('pay-by-card')).toBeEnabled();
    await expect(page.getByTestId('card-blocked')).toBeHidden();
  }
});

test('a printer out of paper warns before the sale; the cashier goes on without a receipt by choice', async ({ station }) => {
  const { checkout, simulator } = station;
  const page = checkout.page;
  await simulator.setPaperOut(true);
  try {
    // Before anything is rung up.
    await expect(page.getByTestId('printer-warning')).toHaveAttribute('data-reason', 'paper_out');
    await checkout.addToCart('TEA-001');
    await page.getByTestId('pay-by-cash').click();
    const choice = page.getByTestId('no-receipt-dialog');
    await expect(choice).toBeVisible();
    // A dialog: focus goes into it, on its first choice.
    await expect(page.getByTestId('no-receipt-back')).toBeFocused();
    // Escape is "back": nothing started.
    await page.keyboard.press('Escape');
    await expect(choice).toBeHidden();
    await expect(page.getByTestId('cash-dialog')).toBeHidden();
    await page.getByTestId('pay-by-cash').click();
    await page.getByTestId('no-receipt-go-on').click();
    await page.getByTestId('cash-received').fill('10');
    await page.getByTestId('cash-take').click();
    await checkout.expectStep('approved');
    // Known before the sale; after it, the notice offers the receipt once paper is back.
    await expect(page.getByTestId('receipt-issue')).toHaveAttribute('data-issue', 'paper_out');
    await simulator.setPaperOut(false);
    await page.getByTestId('reprint-receipt').click();
    await expect(page.getByTestId('receipt-issue')).toBeHidden();
    await checkout.newSale();
  } finally {
    await simulator.setPaperOut(false);
  }
  await expect(page.getByTestId('printer-warning')).toBeHidden();
});

test('the card readers unplugged while the customer is asked for their card change the prompt at once', async ({ station }) => {
  const { checkout, simulator } = station;
  const page = checkout.page;
  await checkout.addToCart('TEA-001');
  await checkout.payByCard();
  await expect(page.getByTestId('device-gone')).toBeHidden();
  // The card can be swiped, inserted or tapped: the prompt changes once neither reader is left.
  await simulator.unplug('cardReader');
  await simulator.unplug('chipReader');
  try {
    await expect(page.getByTestId('device-gone')).toHaveAttribute('data-device', 'cardReader');
    await expect(page.getByTestId('device-gone')).toHaveText('读卡器已断开：请重新连接，或取消本次付款');
  } finally {
    await simulator.plug('cardReader');
    await simulator.plug('chipReader');
  }
  await expect(page.getByTestId('device-gone')).toBeHidden();
  await page.getByTestId('cancel-payment').click();
  await checkout.expectStep('cancelled');
  await checkout.newSale();
});
