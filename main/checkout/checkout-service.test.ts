/**
 * The checkout flow through real parts: the virtual card reader and PIN pad at the USB level, real
 * DUKPT, the acquirer link over TCP to the bundled host in its own process, and the SQLite journal.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PaymentProgress } from '../../common/payment.ts';
import { startChildProcessHost } from '../host/child-process-host.ts';
import type { RunningHost } from '../host/host-process-messages.ts';
import { IpcRejection } from '../ipc/dispatcher.ts';
import { deckCard, HOST_ENTRY, startRig, type Rig } from '../test-support/acquirer-rig.ts';

let host: RunningHost;
let rig: Rig;
const receipts: string[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'checkout-'));
  host = await startChildProcessHost({ entry: HOST_ENTRY, dataDir: join(dataDir, 'bank'), port: 0, log: () => undefined });
  rig = await startRig({ host: host.host, port: host.port, dataDir });
  rig.devices.onReceiptPrinted((paymentId) => receipts.push(paymentId));
  await rig.waitUntilUp();
});

afterAll(async () => {
  await rig.stop();
  await host.stop();
});

/** Runs one sale at the counter: swipe (optionally a bad read first), type the PIN, wait for the end. */
async function sale(cardId: string, pin: string | 'cancel', skus: string[], options: { badReadFirst?: boolean } = {}) {
  const { devices, progress } = rig;
  const { paymentId } = rig.checkout.startPayment(skus.map((sku) => ({ sku, quantity: 1 })));
  const steps = () => progress.filter((event) => event.paymentId === paymentId);
  await vi.waitUntil(() => steps().some((event) => event.step === 'present_card'));
  if (options.badReadFirst) {
    devices.swipe(deckCard(cardId), 'bad_read');
    await vi.waitUntil(() => steps().some((event) => event.failure === 'bad_read'));
  }
  devices.swipe(deckCard(cardId), 'none');
  await vi.waitUntil(() => steps().some((event) => ['enter_pin', 'failed'].includes(event.step)), { timeout: 5000 });
  if (steps().some((event) => event.step === 'enter_pin')) {
    await vi.waitUntil(() => devices.virtualPinPad.screen.awaitingPin, { timeout: 5000 });
    for (const key of pin === 'cancel' ? ['cancel'] : [...pin, 'enter']) devices.virtualPinPad.pressKey(key as never);
  }
  await rig.checkout.whenIdle();
  return { paymentId, steps: steps() };
}

/** The steps as the cashier sees them change: repeats (each PIN digit re-announces enter_pin) collapse. */
function stepPath(steps: readonly PaymentProgress[]): string[] {
  return steps.map((event) => (event.failure === 'bad_read' ? 'present_card (bad read)' : event.step)).filter((step, index, all) => step !== all[index - 1]);
}

describe('checkout flow', () => {
  it('approves a sale, journals it masked, and prints its receipt', async () => {
    const { paymentId, steps } = await sale('unionpay-debit-approved', '123456', ['COF-001', 'BAO-001']);
    expect(stepPath(steps)).toEqual(['present_card', 'reading', 'enter_pin', 'authorizing', 'approved']);
    expect(steps.filter((event) => event.step === 'enter_pin').map((event) => event.pinDigits)).toEqual(expect.arrayContaining([0, 1, 2, 3, 4, 5, 6]));
    const final = steps.at(-1);
    expect(final?.amount).toEqual({ amountMinor: 1800, currency: 'CNY' });
    expect(final?.card).toEqual({ maskedPan: '621234******1232', scheme: 'unionpay' });
    expect(final?.outcome?.responseCode).toBe('00');
    expect(receipts).toContain(paymentId);
    expect(rig.journal.recent(1)[0]).toMatchObject({ status: 'approved', maskedPan: '621234******1232', responseCode: '00' });
    expect(JSON.stringify(steps)).not.toContain('6212345678901232');
  });

  it('declines a wrong PIN with 55 and insufficient funds with 51', async () => {
    expect((await sale('visa-credit', '9999', ['TEA-001'])).steps.at(-1)).toMatchObject({ step: 'declined', outcome: { responseCode: '55' } });
    expect((await sale('unionpay-low-balance', '123456', ['HOM-002'])).steps.at(-1)).toMatchObject({ step: 'declined', outcome: { responseCode: '51' } });
    expect(rig.journal.recent(2).map((entry) => entry.status)).toEqual(['declined', 'declined']);
  });

  it('refuses a card of a scheme the merchant does not accept, before going online', async () => {
    const before = rig.journal.recent(100).length;
    const { steps } = await sale('amex-credit', '1234', ['WAT-001']);
    expect(steps.at(-1)).toMatchObject({ step: 'failed', failure: 'card_not_accepted' });
    expect(rig.journal.recent(100)).toHaveLength(before);
  });

  it('asks for another swipe after a bad read, and ends cancelled when the cardholder cancels the PIN', async () => {
    const { steps } = await sale('unionpay-debit-approved', 'cancel', ['EGG-001'], { badReadFirst: true });
    expect(stepPath(steps)).toEqual(['present_card', 'present_card (bad read)', 'reading', 'enter_pin', 'cancelled']);
    expect(steps.at(-1)?.failure).toBe('pin_cancelled');
  });

  it('a cashier cancel that crosses the PIN pad\'s answer cancels the sale: nothing goes to the host', async () => {
    const { devices, progress } = rig;
    const before = rig.journal.recent(100).length;
    const { paymentId } = rig.checkout.startPayment([{ sku: 'TEA-001', quantity: 1 }]);
    await vi.waitUntil(() => progress.some((event) => event.paymentId === paymentId && event.step === 'present_card'));
    devices.swipe(deckCard('unionpay-debit-approved'), 'none');
    await vi.waitUntil(() => devices.virtualPinPad.screen.awaitingPin, { timeout: 5000 });
    for (const key of ['1', '2', '3', '4', '5', '6', 'enter']) devices.virtualPinPad.pressKey(key as never);
    // The pad has sent its encrypted PIN block; the cashier's cancel arrives before the station reads it.
    expect(rig.checkout.cancelPayment(paymentId)).toEqual({ cancelled: true });
    await rig.checkout.whenIdle();
    const steps = progress.filter((event) => event.paymentId === paymentId);
    expect(stepPath(steps)).toEqual(['present_card', 'reading', 'enter_pin', 'cancelled']);
    expect(rig.journal.recent(100)).toHaveLength(before);
  });

  it('runs one payment at a time and prices carts from the catalog only', () => {
    expect(() => rig.checkout.startPayment([{ sku: 'NOPE', quantity: 1 }])).toThrow(IpcRejection);
    const { paymentId } = rig.checkout.startPayment([{ sku: 'TEA-001', quantity: 1 }]);
    expect(() => rig.checkout.startPayment([{ sku: 'TEA-001', quantity: 1 }])).toThrow(/already in progress/);
    expect(rig.checkout.cancelPayment(paymentId)).toEqual({ cancelled: true });
  });
});
