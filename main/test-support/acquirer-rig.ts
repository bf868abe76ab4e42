/**
 * Test support: the station's checkout, journal and acquirer side wired as station.ts wires them,
 * minus the IPC layer, over real TCP to a real host, with the virtual card reader and PIN pad at
 * the USB level. A test drives it the way a cashier and a customer would.
 */
import { join, resolve } from 'node:path';
import { vi } from 'vitest';
import type { BatchReport } from '../../common/acquirer.ts';
import type { JournalEntry } from '../../common/journal.ts';
import type { PaymentProgress, PaymentStep } from '../../common/payment.ts';
import type { TestDeckCard } from '../../common/test-deck.ts';
import { memoryKsnStore } from '../../peripherals/pin-pad/ksn-store.ts';
import { tdesDukptEncryptor } from '../../peripherals/pin-pad/pin-encryption.ts';
import { createAcquirerServices, type AcquirerServices } from '../acquirer/acquirer-services.ts';
import { settlementServiceFor, type SettlementService } from '../batch/settlement-service.ts';
import { voidTransaction } from '../batch/void-service.ts';
import { demoCatalog } from '../catalog/demo-catalog.ts';
import { CheckoutService } from '../checkout/checkout-service.ts';
import { TillLock } from '../checkout/till-lock.ts';
import { DEFAULT_STATION_CONFIG } from '../config/station-config.ts';
import { cardReaderPort } from '../devices/card-reader-port.ts';
import { pinPadPort } from '../devices/pin-pad-port.ts';
import { createVirtualStationDevices, type StationDevices } from '../devices/station-devices.ts';
import { Journal } from '../journal/journal.ts';
import { loadVaultKey } from '../journal/vault-key.ts';
import { loadTestDeck } from '../simulator/test-cards.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const HOST_ENTRY = join(REPO_ROOT, 'bank', 'bank-host.ts');
const deck = loadTestDeck(join(REPO_ROOT, 'bank', 'deck', 'test-cards.json'));

export function deckCard(id: string): TestDeckCard {
  const card = deck.find((candidate) => candidate.id === id);
  if (card === undefined) throw new Error(`no test card ${id}`);
  return card;
}

export interface RigOptions {
  readonly host: string;
  readonly port: number;
  /** The station's data dir: journal and PAN vault key. Reuse it to restart the station. */
  readonly dataDir: string;
  readonly responseTimeoutMs?: number;
  readonly echoIdleMs?: number;
  readonly reconnectBaseMs?: number;
  readonly safRetryBaseMs?: number;
}

export interface Rig {
  readonly journal: Journal;
  readonly acquirer: AcquirerServices;
  readonly checkout: CheckoutService;
  readonly settlement: SettlementService;
  readonly devices: StationDevices;
  readonly progress: PaymentProgress[];
  readonly log: string[];
  /** Runs `action` the moment the next transaction reaches `step` (e.g. stall the host before the 0200 leaves). */
  onNextStep(step: PaymentStep, action: () => void): void;
  sale(cardId: string, pin: string, skus: readonly string[]): Promise<PaymentProgress>;
  refund(originalRrn: string, amountMinor: number, cardId: string): Promise<PaymentProgress>;
  balanceInquiry(cardId: string, pin: string): Promise<PaymentProgress>;
  voidTransaction(id: number): Promise<JournalEntry>;
  settle(): Promise<BatchReport>;
  waitUntilUp(): Promise<void>;
  /** Waits for a journal row to reach a status (queued reversals are confirmed in the background). */
  waitForStatus(id: number, status: JournalEntry['status'], timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRig(options: RigOptions): Promise<Rig> {
  const config = DEFAULT_STATION_CONFIG;
  const log: string[] = [];
  const progress: PaymentProgress[] = [];
  const stepActions: { step: PaymentStep; action: () => void }[] = [];
  const record = (line: string) => log.push(line);

  const journal = new Journal(join(options.dataDir, 'journal.sqlite'), { vaultKey: loadVaultKey(join(options.dataDir, 'keys', 'pan-vault.key')) });
  const acquirer = createAcquirerServices({
    endpoint: { host: options.host, port: options.port, responseTimeoutMs: options.responseTimeoutMs ?? 10_000 },
    journal,
    terminalId: config.merchant.terminalId,
    merchantId: config.merchant.id,
    log: record,
    ...(options.echoIdleMs === undefined ? {} : { echoIdleMs: options.echoIdleMs }),
    reconnectBaseMs: options.reconnectBaseMs ?? 200,
    safRetryBaseMs: options.safRetryBaseMs ?? 200,
  });
  const devices = createVirtualStationDevices(tdesDukptEncryptor(Buffer.from(config.virtualPinPad.ipek, 'hex'), memoryKsnStore(Buffer.from(config.virtualPinPad.initialKsn, 'hex'))), {
    locale: 'en',
    merchantName: config.merchant.name,
    merchantId: config.merchant.id,
    terminalId: config.merchant.terminalId,
    profile: { widthMm: 80, cjk: 'gb18030' },
  });
  const tillLock = new TillLock();
  const checkout = new CheckoutService({
    settings: { terminalId: config.merchant.terminalId, merchantId: config.merchant.id, currency: 'CNY', acceptedSchemes: config.acceptedSchemes, pinEntryTimeoutSeconds: 30 },
    catalog: demoCatalog(),
    journal,
    cardReader: cardReaderPort(devices.cardReads),
    pinPad: pinPadPort(devices.pinPad, (listener) => devices.virtualPinPad.onScreen((screen) => listener(screen.pinDigits))),
    acquirer: acquirer.port,
    reversals: acquirer.reversals,
    tillLock,
    receipts: devices.receipts,
    onProgress: (event) => {
      progress.push(event);
      const due = stepActions.findIndex((candidate) => candidate.step === event.step);
      if (due >= 0) stepActions.splice(due, 1)[0]?.action();
    },
    log: record,
  });
  const settlement = settlementServiceFor({ terminalId: config.merchant.terminalId, merchantId: config.merchant.id, currency: 'CNY' }, { journal, acquirer, tillLock, log: record });
  await vi.waitUntil(() => devices.statuses().every((status) => status.state === 'ready'), { timeout: 5000 });
  acquirer.start();

  async function run(paymentId: string, cardId: string, pin: string | undefined): Promise<PaymentProgress> {
    const steps = () => progress.filter((event) => event.paymentId === paymentId);
    await vi.waitUntil(() => steps().some((event) => event.step === 'present_card'));
    devices.swipe(deckCard(cardId), 'none');
    if (pin !== undefined) {
      await vi.waitUntil(() => steps().some((event) => event.step === 'enter_pin' || event.step === 'failed'), { timeout: 5000 });
      if (steps().some((event) => event.step === 'enter_pin')) {
        await vi.waitUntil(() => devices.virtualPinPad.screen.awaitingPin, { timeout: 5000 });
        for (const key of [...pin, 'enter']) devices.virtualPinPad.pressKey(key as never);
      }
    }
    await checkout.whenIdle();
    const final = steps().at(-1);
    if (final === undefined) throw new Error(`no progress for ${paymentId}`);
    return final;
  }

  return {
    journal,
    acquirer,
    checkout,
    settlement,
    devices,
    progress,
    log,
    onNextStep: (step, action) => stepActions.push({ step, action }),
    sale: (cardId, pin, skus) => run(checkout.startPayment(skus.map((sku) => ({ sku, quantity: 1 }))).paymentId, cardId, pin),
    refund: (originalRrn, amountMinor, cardId) => run(checkout.startRefund(originalRrn, amountMinor).paymentId, cardId, undefined),
    balanceInquiry: (cardId, pin) => run(checkout.startBalanceInquiry().paymentId, cardId, pin),
    voidTransaction: (id) => voidTransaction({ journal, reversals: acquirer.reversals, deliver: async () => void (await acquirer.deliverQueued()), tillLock }, id),
    settle: () => settlement.settle(),
    waitUntilUp: () => vi.waitUntil(() => acquirer.monitor.state === 'up', { timeout: 10_000 }).then(() => undefined),
    waitForStatus: (id, status, timeoutMs = 20_000) => vi.waitUntil(() => journal.row(id)?.status === status, { timeout: timeoutMs, interval: 50 }).then(() => undefined),
    async stop() {
      await checkout.whenIdle();
      await devices.stop();
      await acquirer.stop();
      journal.close();
    },
  };
}
