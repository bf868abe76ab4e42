/**
 * Inserted and tapped card sales through every real layer: the checkout UI, the simulated-devices
 * panel putting a virtual EMV card into the virtual CCID reader (USB transfer level), the terminal
 * kernel, the PIN pad and DUKPT, a 0200 with DE55 over TCP to the bundled host (ARQC checked, ARPC
 * answered), the second GENERATE AC, the journal's chip record and the ESC/POS receipt.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from './fixtures/station.ts';

test('an inserted card: PIN on the pad, approved, and the receipt shows the AID, application label, entry mode and TC', async ({ station }) => {
  const { checkout, simulator } = station;
  await checkout.addToCart('COF-001'); // 15.00
  await checkout.payByCard();
  await expect(checkout.page.getByTestId('payment-step')).toContainText(/插卡、挥卡或刷卡|insert, tap or swipe/);

  await simulator.insert('unionpay-chip-debit');
  await checkout.expectStep('enter_pin');
  await simulator.enterPin('123456');
  await checkout.expectStep('approved');
  await expect(checkout.page.getByTestId('payment-application')).toHaveAttribute('data-aid', 'A000000333010101');
  await expect(checkout.receipt).toContainText('A000000333010101');
  await expect(checkout.receipt).toContainText('UnionPay Debit');
  await expect(checkout.receipt).toContainText('插卡');
  await expect(checkout.receipt).toContainText(/TC\s+[0-9A-F]{16}/);
  await simulator.removeChipCard();

  const db = new DatabaseSync(join(station.dataDir, 'journal.sqlite'), { readOnly: true });
  const rows = db.prepare("SELECT l.entry_mode, c.aid, c.ac_type FROM card_legs l JOIN card_leg_chip c ON c.leg_id = l.id WHERE l.status = 'approved'").all();
  db.close();
  expect(rows).toContainEqual({ entry_mode: '051', aid: 'A000000333010101', ac_type: 'TC' });
  await checkout.newSale();
});

test('a tapped card under the no-PIN limit: approved without PIN (the order of "remove card" and the answer is checked in chip-tenders.test.ts), the receipt says contactless', async ({ station }) => {
  const { checkout, simulator } = station;
  await checkout.addToCart('TEA-001'); // 4.50
  await checkout.payByCard();
  await simulator.tap('visa-chip-credit');
  await checkout.expectStep('approved');
  await expect(checkout.receipt).toContainText('挥卡');
  await expect(checkout.receipt).toContainText('A0000000031010');
  await expect(checkout.receipt).toContainText(/ARQC\s+[0-9A-F]{16}/);
  await expect.poll(() => station.output().some((line) => /\[host\].* 0200 stan=\d{6} tid=POS00001 pan=\d{6}\*+\d{4} rc=00 /.test(line))).toBe(true);
  await checkout.newSale();
});

test('a card with two applications: the cashier picks the one the customer names, and the receipt shows it', async ({ station }) => {
  const { checkout, simulator } = station;
  await checkout.addToCart('WAT-001'); // 2.00
  await checkout.payByCard();
  await simulator.insert('unionpay-chip-two-apps');
  await expect(checkout.page.getByTestId('application-choice')).toBeVisible();
  await checkout.page.getByTestId('choose-application-1').click();
  await checkout.expectStep('enter_pin');
  await simulator.enterPin('123456');
  await checkout.expectStep('approved');
  await expect(checkout.receipt).toContainText('UnionPay Credit');
  await expect(checkout.receipt).toContainText('A000000333010102');
  await simulator.removeChipCard();
  await checkout.newSale();
});
