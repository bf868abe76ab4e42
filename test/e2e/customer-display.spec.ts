/**
 * The customer display, on the running station: it follows the sale the cashier rings up (lines,
 * total, VAT), the tender in progress ("insert, tap or swipe", then a cash payment), and ends on the
 * thank-you screen with the change; in both languages. Its own link's token opens its own read-only
 * socket only: no checkout method can be called with it, on any socket.
 */
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import { openRawWebSocket, socketUrlOf } from './fixtures/raw-websocket.ts';
import { StationSocket } from './fixtures/station-socket.ts';
import { expect, test } from './fixtures/station.ts';

test('the customer display shows the lines, the total with VAT, the tender prompt and the change of a cash sale', async ({ station }) => {
  const display = await station.display();
  const checkout = station.checkout;
  await expect(display.root).toHaveAttribute('data-screen', /idle|thank_you/);
  await expect(display.merchant).toHaveText('示范便利店');

  await checkout.addToCart('COF-001', 'BAO-001', 'BAO-001'); // 15.00 at 13 %, 2 × 3.00 at 9 %
  await expect(display.root).toHaveAttribute('data-screen', 'sale');
  await expect(display.lines).toHaveCount(2);
  await expect(display.lines.nth(0)).toContainText('美式咖啡');
  await expect(display.lines.nth(1)).toContainText('2 × ');
  await expect(display.total).toHaveAttribute('data-amount-minor', '2100');
  await expect(display.total).toHaveText(await checkout.total.textContent() as string);
  // VAT: 15.00 × 13/113 = 1.73, 6.00 × 9/109 = 0.50.
  await expect(display.vat).toHaveAttribute('data-amount-minor', '223');

  // A card tender: the customer is asked to present the card; the cashier cancels it.
  await checkout.payByCard();
  await expect(display.tender).toHaveAttribute('data-step', 'present_card');
  await expect(display.prompt).toHaveText('请插卡、挥卡或刷卡');
  await checkout.page.getByTestId('cancel-payment').click();
  await checkout.expectStep('cancelled');
  await expect(display.tender).toHaveAttribute('data-step', 'cancelled');
  await checkout.newSale();

  // Cash, 50 handed over for 21.00: change 29.00, then thank you with the change.
  await checkout.payByCash('50');
  await expect(display.root).toHaveAttribute('data-screen', 'thank_you');
  await expect(display.change).toHaveAttribute('data-amount-minor', '2900');
  await expect(display.page.getByTestId('display-paid-total')).toHaveAttribute('data-amount-minor', '2100');
  await checkout.newSale();

  // In English too: the customer's own toggle, which changes nothing at the station.
  await display.page.getByTestId('locale-toggle').click();
  await expect(display.page.getByTestId('display-thank-you')).toContainText('Thank you');
  await expect(display.merchant).toHaveText('Demo Convenience Store');
  await checkout.addToCart('TEA-001');
  await expect(display.lines).toHaveCount(1);
  await expect(display.lines.nth(0)).toContainText('Jasmine tea');
  await checkout.payByCard();
  await expect(display.prompt).toHaveText('Insert, tap or swipe your card');
  await checkout.page.getByTestId('cancel-payment').click();
  await checkout.expectStep('cancelled');
  await checkout.newSale();
  await display.page.getByTestId('locale-toggle').click();
});

test.describe("the customer display's token", () => {
  test.skip(({ target }) => target !== 'browser', 'tokens belong to the station server (browser target); Electron binds the display contract to its window');

  test('opens the display socket only, and no checkout method can be called with it', async ({ station }) => {
    const pages = station.server?.pages ?? {};
    const displayUrl = pages['display.html'] as string;
    const token = new URL(displayUrl).hash.slice('#token='.length);
    const origin = new URL(displayUrl).origin;
    // Its token at the checkout's and the simulator's sockets: refused at the door.
    await expect(openRawWebSocket(socketUrlOf(displayUrl, 'pos', token), origin)).rejects.toThrow('403');
    await expect(openRawWebSocket(socketUrlOf(displayUrl, 'sim', token), origin)).rejects.toThrow('403');
    // On its own socket, every checkout method is refused before any handler runs, and nothing changes.
    const socket = await StationSocket.open(displayUrl, 'display');
    try {
      for (const method of Object.keys(checkoutContract.methods)) {
        const result = await socket.invoke(method, { sku: 'TEA-001', quantity: 1 });
        expect(result, method).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
      await expect(station.checkout.page.getByTestId('cart')).toHaveAttribute('data-status', 'none');
    } finally {
      socket.close();
    }
  });
});
