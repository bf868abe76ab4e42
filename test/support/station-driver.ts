/**
 * Test support: a whole station booted through the product's composition root (bootStation, as the
 * browser target boots it, minus its HTTP server), its bundled host a real child process, driven the
 * way the checkout and the simulated-devices panel drive it: through the two contracts' dispatchers
 * and events. Everything journal- or checkout-shaped these tests need goes through here, so a change
 * of the checkout contract is adapted in this one file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Result } from '../../common/ipc/result.ts';
import type { PaymentProgress } from '../../common/payment.ts';
import type { PinPadDisplay } from '../../common/ipc/simulator-contract.ts';
import { DEMO_CATALOG_FILE } from '../../main/catalog/demo-catalog.ts';
import { startChildProcessHost } from '../../main/host/child-process-host.ts';
import { bootStation, type BootedStation } from '../../main/station/boot.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export const CARDS = {
  unionpay: { id: 'unionpay-debit-approved', pan: '6212345678901232', pin: '123456' },
  visa: { id: 'visa-credit', pan: '4111110000000013', pin: '1234' },
  mastercard: { id: 'mastercard-2series-credit', pan: '2223000048410010', pin: '2468' },
} as const;

export interface DrivenStation {
  readonly dataDir: string;
  readonly booted: BootedStation;
  readonly output: string[];
  /** A card sale of the SKUs: swipe, then each PIN in turn while the PIN pad asks for one. */
  sale(cardId: string, pins: readonly string[], skus?: readonly string[]): Promise<PaymentProgress>;
  refund(originalRrn: string, amountMinor: number, cardId: string): Promise<PaymentProgress>;
  balanceInquiry(cardId: string, pin: string): Promise<PaymentProgress>;
  voidTransaction(transactionId: number): Promise<unknown>;
  /** The journal entries as the checkout lists them, newest first. */
  journal(limit?: number): Promise<{ id: number; rrn?: string; status: string; kind: string }[]>;
  call(contract: 'pos' | 'sim', method: string, input?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

async function until<T>(read: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((next) => setTimeout(next, 10));
  }
}

export async function bootDrivenStation(dataDir: string = mkdtempSync(join(tmpdir(), 'pos-driven-'))): Promise<DrivenStation> {
  const output: string[] = [];
  const log = (line: string) => output.push(line);
  const booted = await bootStation({
    dataDir,
    deckPath: join(REPO_ROOT, 'bank', 'deck', 'test-cards.json'),
    seedCatalogPath: DEMO_CATALOG_FILE,
    shell: 'browser',
    startBundledHost: ({ dataDir: hostDir, port }) => startChildProcessHost({ entry: join(REPO_ROOT, 'bank', 'bank-host.ts'), dataDir: hostDir, port, log }),
    log,
  });
  const progress: PaymentProgress[] = [];
  let pinPad: PinPadDisplay | undefined;
  const disconnect = [
    booted.station.checkout.events.connect((event, payload) => {
      if (event === 'paymentProgress') progress.push(payload as PaymentProgress);
    }),
    booted.station.simulator.events.connect((event, payload) => {
      if (event === 'pinPadDisplay') pinPad = payload as PinPadDisplay;
    }),
  ];

  const call = async (contract: 'pos' | 'sim', method: string, input: unknown = {}) => {
    const dispatch = contract === 'pos' ? booted.station.checkout.dispatch : booted.station.simulator.dispatch;
    const result = (await dispatch(method, input)) as Result<unknown>;
    if (!result.ok) throw new Error(`${contract}:${method} failed: ${JSON.stringify(result.error)}`);
    return result.value;
  };
  const stepsOf = (paymentId: string) => progress.filter((event) => event.paymentId === paymentId);
  const final = (paymentId: string) => stepsOf(paymentId).find((event) => ['approved', 'declined', 'cancelled', 'failed'].includes(event.step));

  await until(async () => ((await call('pos', 'listDevices')) as { state: string }[]).every((device) => device.state === 'ready') || undefined, 'the virtual devices');

  async function run(paymentId: string, cardId: string, pins: readonly string[]): Promise<PaymentProgress> {
    await until(() => stepsOf(paymentId).find((event) => event.step === 'present_card'), 'present_card');
    await call('sim', 'swipeCard', { cardId });
    for (const [attempt, pin] of pins.entries()) {
      await until(() => final(paymentId) ?? stepsOf(paymentId).find((event) => event.step === 'enter_pin' && (event.pinAttempt ?? 1) === attempt + 1), `PIN attempt ${attempt + 1}`);
      if (final(paymentId)) break;
      await until(() => (pinPad?.awaitingPin ? true : undefined), 'the PIN pad to ask');
      for (const key of [...pin, 'enter']) await call('sim', 'pressPinPadKey', { key });
    }
    return until(() => final(paymentId), `the end of payment ${paymentId}`, 60_000);
  }

  return {
    dataDir,
    booted,
    output,
    sale: async (cardId, pins, skus = ['COF-001']) => {
      const { paymentId } = (await call('pos', 'startPayment', { lines: skus.map((sku) => ({ sku, quantity: 1 })) })) as { paymentId: string };
      return run(paymentId, cardId, pins);
    },
    refund: async (originalRrn, amountMinor, cardId) => {
      const { paymentId } = (await call('pos', 'startRefund', { originalRrn, amountMinor })) as { paymentId: string };
      return run(paymentId, cardId, []);
    },
    balanceInquiry: async (cardId, pin) => {
      const { paymentId } = (await call('pos', 'startBalanceInquiry')) as { paymentId: string };
      return run(paymentId, cardId, [pin]);
    },
    voidTransaction: (transactionId) => call('pos', 'voidTransaction', { transactionId }),
    journal: async (limit = 200) => (await call('pos', 'listJournal', { limit })) as { id: number; rrn?: string; status: string; kind: string }[],
    call,
    async stop() {
      disconnect.forEach((stop) => stop());
      await booted.stop();
    },
  };
}
