/**
 * Test support: the station as the product builds it (createStation, the one composition root:
 * three PIN tries, the virtual-PIN-pad guard, the configured currency), on virtual devices at the USB
 * level, over real TCP to a real host, driven through its own checkout and simulator contracts the
 * way the cashier's screen and the simulated-devices panel drive it. Only the config differs: a
 * shorter response timeout and retry delays, so a test does not wait on them.
 */
import { join, resolve } from 'node:path';
import { vi } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../common/ipc/define-contract.ts';
import type { CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import type { Result } from '../../common/ipc/result.ts';
import type { SimulatorContract } from '../../common/ipc/simulator-contract.ts';
import type { PaymentProgress, PaymentStep } from '../../common/payment.ts';
import type { LinkTransport } from '../../common/acquirer.ts';
import type { TestDeckCard } from '../../common/test-deck.ts';
import { stationTlsDir } from '../acquirer/link-security.ts';
import { DEMO_CATALOG_FILE } from '../catalog/demo-catalog.ts';
import { DEFAULT_STATION_CONFIG, type StationConfig } from '../config/station-config.ts';
import type { BundledHostLink } from '../host/bundled-host-link.ts';
import type { CardLegRow } from '../journal/card-leg-row.ts';
import { DEMO_OPERATORS } from '../operators/operators-config.ts';
import { loadTestDeck } from '../simulator/test-cards.ts';
import { createStation, type Station } from '../station/station.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const HOST_ENTRY = join(REPO_ROOT, 'bank', 'bank-host.ts');
const DECK_PATH = join(REPO_ROOT, 'bank', 'deck', 'test-cards.json');
const deck = loadTestDeck(DECK_PATH);

export const CASHIER = DEMO_OPERATORS[0];
export const SUPERVISOR = DEMO_OPERATORS[1];
export const APPROVAL = { operatorId: SUPERVISOR.id, pin: SUPERVISOR.pin };

export function deckCard(id: string): TestDeckCard {
  const card = deck.find((candidate) => candidate.id === id);
  if (card === undefined) throw new Error(`no test card ${id}`);
  return card;
}

/**
 * What a test host needs to enrol the rig's station, as the bundled host does: in-process
 * (startHost's enrolStation) or as a child process (its link). The rig then connects over TLS
 * with the credentials the host wrote into its data dir.
 */
export function rigEnrolment(stationDataDir: string): { terminalId: string; dir: string } {
  return { terminalId: DEFAULT_STATION_CONFIG.merchant.terminalId, dir: stationTlsDir(stationDataDir) };
}

export function rigHostLink(stationDataDir: string): BundledHostLink {
  const { terminalId, dir } = rigEnrolment(stationDataDir);
  return { transport: 'tls', terminalId, stationTlsDir: dir };
}

export interface RigOptions {
  readonly host: string;
  readonly port: number;
  /** The station's data dir: journal, keys, operators, TLS credentials. Reuse it to restart the station. */
  readonly dataDir: string;
  /** Defaults to TLS, as the station does; the host must have enrolled the rig (rigEnrolment). */
  readonly transport?: LinkTransport;
  readonly responseTimeoutMs?: number;
  readonly echoIdleMs?: number;
  readonly reconnectBaseMs?: number;
  readonly safRetryBaseMs?: number;
  readonly drawerLeftOpenMs?: number;
  /** A station.json setting a test needs (the virtual PIN pad's key type, say). */
  readonly virtualPinPad?: Partial<StationConfig['virtualPinPad']>;
  /** Which device reads swiped cards (devices.stripeReader): the separate plain reader unless a test says. */
  readonly stripeReader?: StationConfig['devices']['stripeReader'];
  /** station.json's head office (its credential must be in the data dir), and the uploader's test timers. */
  readonly headOffice?: StationConfig['headOffice'];
  readonly headOfficeTuning?: { readonly retryBaseMs?: number; readonly retryMaxMs?: number; readonly heartbeatMs?: number; readonly batchSize?: number };
  /** Contactless limits and the fallback rule, where a test needs small amounts to cross them. */
  readonly chip?: Partial<StationConfig['chip']>;
  /** The host's wallet platform (QR tenders); read at each use, as the shells do. */
  readonly wallet?: () => { readonly host: string; readonly port: number } | undefined;
  /** station.json's wallet settings a test shortens (query delays, how long a code is shown). */
  readonly walletConfig?: Partial<StationConfig['wallet']>;
}

/** A refused call, with the code the UI would get. */
export class CallError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** How the customer presents the card on the simulated-devices panel. */
export type Presenting = 'swipe' | 'insert' | 'tap' | { readonly insert: 'removed_mid_transaction' } | { readonly tap: 'leaves_field_early' };

export interface Rig {
  readonly station: Station;
  readonly services: Station['services'];
  readonly progress: PaymentProgress[];
  readonly log: string[];
  call<M extends MethodName<CheckoutContract>>(method: M, input: MethodInput<CheckoutContract, M>): Promise<MethodOutput<CheckoutContract, M>>;
  sim<M extends MethodName<SimulatorContract>>(method: M, input: MethodInput<SimulatorContract, M>): Promise<MethodOutput<SimulatorContract, M>>;
  /** The demo cashier signs in and opens a shift with `floatMinor` (if none is open). */
  signInAndOpenShift(floatMinor?: number): Promise<void>;
  /** Rings up one of each SKU. */
  ring(skus: readonly string[]): Promise<MethodOutput<CheckoutContract, 'addItem'>>;
  /** Runs a flow that needs a card: swipes it (or inserts, or taps it) and types each PIN in turn; answers the final step. */
  presentCard(paymentId: string, cardId: string, pins: readonly string[], how?: Presenting): Promise<PaymentProgress>;
  /** A card tender of the current sale, start to end. */
  payByCard(cardId: string, pins: readonly string[], amountMinor?: number, how?: Presenting): Promise<PaymentProgress>;
  /** Rings up the SKUs and pays by card; a sale left unpaid (declined, failed) is cancelled, as a cashier would. */
  cardSale(cardId: string, pins: readonly string[], skus: readonly string[]): Promise<{ final: PaymentProgress; saleId: string }>;
  /** The newest card leg (of any kind). */
  lastLeg(): CardLegRow;
  /** Refunds `amountMinor` of the card tender a purchase leg belongs to (a supervisor approves), presenting `cardId`. */
  refundLeg(purchase: CardLegRow, amountMinor: number, cardId: string): Promise<PaymentProgress>;
  /** Voids the sale a purchase leg belongs to (a supervisor approves). */
  voidLeg(purchase: CardLegRow): Promise<MethodOutput<CheckoutContract, 'voidSale'>>;
  balanceInquiry(cardId: string, pin: string): Promise<PaymentProgress>;
  settle(): Promise<MethodOutput<CheckoutContract, 'settleBatch'>>;
  /** Runs `action` the moment the next flow reaches `step` (e.g. stall the host before the 0200 leaves). */
  onNextStep(step: PaymentStep, action: () => void): void;
  waitUntilUp(): Promise<void>;
  /** Waits for a card leg to reach a status (queued reversals are confirmed in the background). */
  waitForLeg(legId: number, status: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRig(options: RigOptions): Promise<Rig> {
  const log: string[] = [];
  const progress: PaymentProgress[] = [];
  const stepActions: { step: PaymentStep; action: () => void }[] = [];
  const config: StationConfig = {
    ...DEFAULT_STATION_CONFIG,
    acquirer: { mode: 'remote', host: options.host, port: options.port, responseTimeoutMs: options.responseTimeoutMs ?? 10_000, transport: options.transport ?? 'tls' },
    devices: { ...DEFAULT_STATION_CONFIG.devices, mode: 'virtual', ...(options.stripeReader ? { stripeReader: options.stripeReader } : {}) },
    receipt: { ...DEFAULT_STATION_CONFIG.receipt, locale: 'en' },
    virtualPinPad: { ...DEFAULT_STATION_CONFIG.virtualPinPad, ...options.virtualPinPad },
    ...(options.headOffice ? { headOffice: options.headOffice } : {}),
    chip: { ...DEFAULT_STATION_CONFIG.chip, ...options.chip },
    wallet: { ...DEFAULT_STATION_CONFIG.wallet, queryDelaysMs: [200, 300, 500], ...options.walletConfig },
  };
  const station = await createStation({
    config,
    dataDir: options.dataDir,
    deckPath: DECK_PATH,
    seedCatalogPath: DEMO_CATALOG_FILE,
    shell: 'browser',
    acquirer: { host: options.host, port: options.port, bundled: false },
    ...(options.wallet === undefined ? {} : { walletEndpoint: options.wallet }),
    log: (line) => log.push(line),
    tuning: {
      reconnectBaseMs: options.reconnectBaseMs ?? 200,
      safRetryBaseMs: options.safRetryBaseMs ?? 200,
      walletRetryDelaysMs: [100, 200, 300],
      ...(options.echoIdleMs === undefined ? {} : { echoIdleMs: options.echoIdleMs }),
      ...(options.drawerLeftOpenMs === undefined ? {} : { drawerLeftOpenMs: options.drawerLeftOpenMs }),
      ...(options.headOfficeTuning ? { headOffice: options.headOfficeTuning } : {}),
    },
  });
  let pinPadWaiting = false;
  station.simulator.events.connect((event, payload) => {
    if (event === 'pinPadDisplay') pinPadWaiting = (payload as { awaitingPin: boolean }).awaitingPin;
  });
  station.checkout.events.connect((event, payload) => {
    if (event !== 'paymentProgress') return;
    const step = payload as PaymentProgress;
    progress.push(step);
    const due = stepActions.findIndex((candidate) => candidate.step === step.step);
    if (due >= 0) stepActions.splice(due, 1)[0]?.action();
  });
  const { devices } = station.services;
  await vi.waitUntil(() => devices.statuses().every((status) => status.state === 'ready'), { timeout: 5000 });

  const unwrap = <T>(method: string, result: Result<unknown>): T => {
    if (!result.ok) throw new CallError(result.error.code, `${method}: ${result.error.message}`);
    return result.value as T;
  };
  const call: Rig['call'] = async (method, input) => unwrap(method, await station.checkout.dispatch(method, input));
  const sim: Rig['sim'] = async (method, input) => unwrap(method, await station.simulator.dispatch(method, input));
  const finalOf = (paymentId: string) => progress.filter((event) => event.paymentId === paymentId).find((event) => ['approved', 'declined', 'cancelled', 'failed'].includes(event.step));

  const present = async (cardId: string, how: Presenting) => {
    if (how === 'swipe') await sim('swipeCard', { cardId, fault: 'none' });
    else if (how === 'insert') await sim('insertChipCard', { cardId, fault: 'none' });
    else if (how === 'tap') await sim('tapChipCard', { cardId, fault: 'none' });
    else if ('insert' in how) await sim('insertChipCard', { cardId, fault: how.insert });
    else await sim('tapChipCard', { cardId, fault: how.tap });
  };
  const presentCard: Rig['presentCard'] = async (paymentId, cardId, pins, how = 'swipe') => {
    await vi.waitUntil(() => progress.some((event) => event.paymentId === paymentId && event.step === 'present_card'), { timeout: 5000 });
    pinPadWaiting = false;
    await present(cardId, how);
    for (const pin of pins) {
      await vi.waitUntil(() => pinPadWaiting || finalOf(paymentId) !== undefined, { timeout: 5000 });
      if (finalOf(paymentId) !== undefined) break;
      pinPadWaiting = false;
      for (const key of [...pin, 'enter'] as const) await sim('pressPinPadKey', { key: key as never });
      await vi.waitUntil(() => pinPadWaiting || finalOf(paymentId) !== undefined, { timeout: 20_000 });
    }
    // The pad asks (again, after a 55) and the customer has no more PINs to try: they press Cancel.
    await vi.waitUntil(() => pinPadWaiting || finalOf(paymentId) !== undefined, { timeout: 20_000 });
    if (finalOf(paymentId) === undefined) await sim('pressPinPadKey', { key: 'cancel' });
    await station.services.tenders.whenIdle();
    // The customer takes an inserted card back once the payment has ended.
    if (how !== 'swipe' && how !== 'tap' && !(typeof how === 'object' && 'tap' in how)) await sim('removeChipCard', {});
    const final = finalOf(paymentId);
    if (final === undefined) throw new Error(`flow ${paymentId} did not end`);
    return final;
  };

  const journal = station.services.journal;
  const saleOfLeg = (leg: CardLegRow) => {
    const sale = journal.sales.ofTender(leg.tenderId!);
    if (!sale) throw new Error(`leg ${leg.id} belongs to no sale`);
    return sale;
  };
  const approval = { operatorId: SUPERVISOR.id, pin: SUPERVISOR.pin };

  return {
    station,
    services: station.services,
    progress,
    log,
    call,
    sim,
    async signInAndOpenShift(floatMinor = 10_000) {
      await call('signIn', { operatorId: CASHIER.id, pin: CASHIER.pin });
      if (!station.services.journal.shifts.current()) await call('openShift', { floatMinor });
    },
    async ring(skus) {
      let sale: MethodOutput<CheckoutContract, 'addItem'> | undefined;
      for (const sku of skus) sale = await call('addItem', { sku, quantity: 1 });
      if (!sale) throw new Error('nothing rung up');
      return sale;
    },
    presentCard,
    async payByCard(cardId, pins, amountMinor, how) {
      const { paymentId } = await call('startCardTender', amountMinor === undefined ? {} : { amountMinor });
      return presentCard(paymentId, cardId, pins, how);
    },
    async cardSale(cardId, pins, skus) {
      let saleId = '';
      for (const sku of skus) saleId = (await call('addItem', { sku, quantity: 1 })).id;
      const { paymentId } = await call('startCardTender', {});
      const final = await presentCard(paymentId, cardId, pins);
      if (journal.sales.load(saleId)?.status === 'tendering') await call('cancelSale', {});
      return { final, saleId };
    },
    lastLeg() {
      const leg = journal.legs.newest();
      if (!leg) throw new Error('no card leg yet');
      return leg;
    },
    async refundLeg(purchase, amountMinor, cardId) {
      const sale = saleOfLeg(purchase);
      const { paymentId } = await call('refundTender', { saleId: sale.id, tenderId: purchase.tenderId!, amountMinor, approval });
      return presentCard(paymentId!, cardId, []);
    },
    voidLeg: (purchase) => call('voidSale', { saleId: saleOfLeg(purchase).id, approval }),
    async balanceInquiry(cardId, pin) {
      const { paymentId } = await call('startBalanceInquiry', {});
      return presentCard(paymentId, cardId, [pin]);
    },
    settle: () => call('settleBatch', { approval }),
    onNextStep: (step, action) => stepActions.push({ step, action }),
    waitUntilUp: () => vi.waitUntil(() => station.services.acquirer.monitor.state === 'up', { timeout: 10_000 }).then(() => undefined),
    waitForLeg: (legId, status, timeoutMs = 20_000) =>
      vi.waitUntil(() => station.services.journal.legs.row(legId)?.status === status, { timeout: timeoutMs, interval: 50 }).then(() => undefined),
    stop: () => station.stop(),
  };
}
