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
import type { Sale, SaleSummary } from '../../common/sale/model.ts';
import { DEMO_CATALOG_FILE } from '../../main/catalog/demo-catalog.ts';
import { DEMO_OPERATORS } from '../../main/operators/operators-config.ts';
import { startChildProcessHost } from '../../main/host/child-process-host.ts';
import { bootStation, type BootedStation } from '../../main/station/boot.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export const CARDS = {
  unionpay: { id: 'unionpay-debit-approved', pan: '6212345678901232', pin: '123456' },
  visa: { id: 'visa-credit', pan: '4111110000000013', pin: '1234' },
  mastercard: { id: 'mastercard-2series-credit', pan: '2223000048410010', pin: '2468' },
} as const;

const [CASHIER, SUPERVISOR] = DEMO_OPERATORS;
/** A supervisor's approval in place, as the checkout's approval dialog sends it. */
export const APPROVAL = { operatorId: SUPERVISOR.id, pin: SUPERVISOR.pin };

/** A card leg as the checkout's sale detail shows it (masked PAN only), with its sale. */
export interface DrivenLeg {
  readonly id: number;
  readonly saleId: string;
  readonly kind: string;
  readonly status: string;
  readonly rrn?: string;
}

export interface DrivenStation {
  readonly dataDir: string;
  readonly booted: BootedStation;
  readonly output: string[];
  /**
   * A sale of the SKUs paid by card: swipe, then each PIN in turn while the PIN pad asks for one. A
   * sale the card did not pay is cancelled, as a cashier would, so the next one starts afresh.
   */
  sale(cardId: string, pins: readonly string[], skus?: readonly string[]): Promise<PaymentProgress>;
  /** A refund of the card tender whose purchase has this RRN, a supervisor approving; the card swiped again. */
  refund(originalRrn: string, amountMinor: number, cardId: string): Promise<PaymentProgress>;
  balanceInquiry(cardId: string, pin: string): Promise<PaymentProgress>;
  /** Voids a whole sale, a supervisor approving. */
  voidSale(saleId: string): Promise<unknown>;
  /** Settles the open batch, a supervisor approving. */
  settle(): Promise<unknown>;
  /** The newest sales in full (the transactions view, then each sale's detail), newest first. */
  sales(limit?: number): Promise<Sale[]>;
  /** The card legs of the newest sales (the transactions view, then each sale's detail), newest first. */
  journal(limit?: number): Promise<DrivenLeg[]>;
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
    startBundledHost: ({ dataDir: hostDir, port, link }) => startChildProcessHost({ entry: join(REPO_ROOT, 'bank', 'bank-host.ts'), dataDir: hostDir, port, link, log }),
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
  // The demo cashier at the till, with a shift open (a restarted or restored station may have one already).
  const session = (await call('pos', 'signIn', { operatorId: CASHIER.id, pin: CASHIER.pin })) as { shift?: unknown };
  if (session.shift === undefined) await call('pos', 'openShift', { floatMinor: 200_00 });

  const sales = async (limit: number): Promise<Sale[]> => {
    const found: Sale[] = [];
    let before: string | undefined;
    while (found.length < limit) {
      const page = ((await call('pos', 'listSales', { limit: Math.min(200, limit - found.length), ...(before === undefined ? {} : { before }) })) as { sales: SaleSummary[] }).sales;
      if (page.length === 0) break;
      for (const summary of page) found.push((await call('pos', 'getSale', { saleId: summary.id })) as Sale);
      before = page.at(-1)!.id;
    }
    return found;
  };
  const legs = async (limit: number): Promise<DrivenLeg[]> =>
    (await sales(limit))
      .flatMap((sale) => sale.tenders.flatMap((tender) => tender.legs.map(({ id, kind, status, rrn }) => ({ id, saleId: sale.id, kind, status, ...(rrn === undefined ? {} : { rrn }) }))))
      .sort((a, b) => b.id - a.id)
      .slice(0, limit);

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
      for (const sku of skus) await call('pos', 'addItem', { sku, quantity: 1 });
      const { paymentId } = (await call('pos', 'startCardTender', {})) as { paymentId: string };
      const ended = await run(paymentId, cardId, pins);
      if (ended.step !== 'approved') await call('pos', 'cancelSale');
      return ended;
    },
    refund: async (originalRrn, amountMinor, cardId) => {
      const sale = (await sales(200)).find((candidate) => candidate.tenders.some((tender) => tender.card?.rrn === originalRrn));
      const tender = sale?.tenders.find((candidate) => candidate.card?.rrn === originalRrn);
      if (!sale || !tender) throw new Error(`no card tender with RRN ${originalRrn}`);
      const { paymentId } = (await call('pos', 'refundTender', { saleId: sale.id, tenderId: tender.id, amountMinor, approval: APPROVAL })) as { paymentId: string };
      return run(paymentId, cardId, []);
    },
    balanceInquiry: async (cardId, pin) => {
      const { paymentId } = (await call('pos', 'startBalanceInquiry')) as { paymentId: string };
      return run(paymentId, cardId, [pin]);
    },
    voidSale: (saleId) => call('pos', 'voidSale', { saleId, approval: APPROVAL }),
    settle: () => call('pos', 'settleBatch', { approval: APPROVAL }),
    sales: (limit = 200) => sales(limit),
    journal: (limit = 200) => legs(limit),
    call,
    async stop() {
      disconnect.forEach((stop) => stop());
      await booted.stop();
    },
  };
}
