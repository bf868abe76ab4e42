/**
 * One card sale through every real layer: the checkout UI, the virtual card reader and PIN pad at
 * the USB transfer level, DUKPT, ISO 8583 over TCP to the bundled host, the SQLite journal, and the
 * ESC/POS receipt decoded by the virtual printer.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from './fixtures/station.ts';

const UNIONPAY = { id: 'unionpay-debit-approved', pan: '6212345678901232', masked: '621234******1232', pin: '123456' };

test('a card sale is approved, journaled with the masked PAN only, and prints a receipt', async ({ station }) => {
  const { checkout, simulator } = station;
  await checkout.addToCart('COF-001', 'BAO-001'); // 15.00 + 3.00
  await expect(checkout.total).toContainText('18.00');
  await checkout.payByCard();

  await simulator.swipe(UNIONPAY.id);
  await checkout.expectStep('enter_pin');
  await simulator.enterPin(UNIONPAY.pin);

  await checkout.expectStep('approved');
  await expect(checkout.result).toContainText('00');
  await expect(checkout.receipt).toContainText(UNIONPAY.masked);
  await expect(checkout.receipt).toContainText('18.00');
  const approvalCode = await checkout.page.getByTestId('approval-code').textContent();
  expect(approvalCode?.trim()).toMatch(/^[0-9A-Z]{6}$/);
  await expect(checkout.receipt).toContainText(approvalCode?.trim() ?? '');

  // The authorization went over TCP to the host, which logged it (masked).
  await expect.poll(() => station.output().some((line) => /\[host\].* 0200 stan=\d{6} tid=POS00001 pan=621234\*{6}1232 rc=00 /.test(line))).toBe(true);

  // It landed in the real SQLite journal as a card leg of the sale: masked PAN, approval code, never the PAN or track data.
  const journalPath = join(station.dataDir, 'journal.sqlite');
  const db = new DatabaseSync(journalPath, { readOnly: true });
  const rows = db.prepare("SELECT masked_pan, status, response_code, approval_code, amount_minor, currency FROM card_legs WHERE status = 'approved'").all();
  db.close();
  expect(rows).toContainEqual({ masked_pan: UNIONPAY.masked, status: 'approved', response_code: '00', approval_code: approvalCode?.trim(), amount_minor: 1800, currency: 'CNY' });
  for (const file of readdirSync(station.dataDir).filter((name) => name.startsWith('journal.sqlite'))) {
    const bytes = readFileSync(join(station.dataDir, file)).toString('latin1');
    expect(bytes).not.toContain(UNIONPAY.pan);
    expect(bytes).not.toContain(`${UNIONPAY.pan}=`);
  }
});

test('a wrong PIN (55) brings the customer back to the PIN pad, and the right one is approved', async ({ station }) => {
  const { checkout, simulator } = station;
  await checkout.addToCart('TEA-001');
  await checkout.payByCard();
  await simulator.swipe('visa-credit');
  await checkout.expectStep('enter_pin');
  await simulator.enterPin('9999');
  await expect(checkout.page.getByTestId('pin-retry')).toContainText('2');
  await expect(simulator.page.getByTestId('pinpad-display')).toContainText('WRONG PIN');
  await simulator.enterPin('1234');
  await checkout.expectStep('approved');
  await checkout.newSale();
});

test('insufficient funds are declined with 51', async ({ station }) => {
  const { checkout, simulator } = station;
  await checkout.addToCart('HOM-002'); // 39.00 against a 10.00 balance
  await checkout.payByCard();
  await simulator.swipe('unionpay-low-balance');
  await checkout.expectStep('enter_pin');
  await simulator.enterPin('123456');
  await checkout.expectStep('declined');
  await expect(checkout.result).toContainText('51');
  await checkout.newSale();
});

test('a card of a scheme the merchant does not accept is refused at the terminal', async ({ station }) => {
  const { checkout, simulator } = station;
  await checkout.addToCart('WAT-001');
  await checkout.payByCard();
  await simulator.swipe('amex-credit');
  await checkout.expectStep('failed');
  await expect(checkout.result).toBeVisible();
  await checkout.newSale();
});

test('a bad read asks for another swipe and the sale goes on', async ({ station }) => {
  const { checkout, simulator } = station;
  await checkout.addToCart('EGG-001');
  await checkout.payByCard();
  await simulator.badRead(UNIONPAY.id);
  await checkout.expectStep('present_card');
  await simulator.swipe(UNIONPAY.id);
  await checkout.expectStep('enter_pin');
  await simulator.pressKey('cancel');
  await checkout.expectStep('cancelled');
  await checkout.newSale();
});
