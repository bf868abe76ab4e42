/**
 * Test support, run as its own process so a test can kill it (-9) at any point of a split-tender
 * sale: the station as the product builds it (createStation), a remote host over TLS (DATA_DIR/acquirer-tls
 * holds its credentials), virtual devices, and
 * a cashier who rings up 54.00 and pays 10.00 in cash, 20.00 on one card and the rest on another.
 *
 *   node main/test-support/split-sale-station.ts HOST PORT DATA_DIR
 *
 * It prints "STEP <name>" as it reaches each point and, where the name ends in "?", waits for a line
 * on stdin before it goes on, so the test kills it exactly there. Points without "?" are in the
 * middle of a card exchange: the test decides from outside (the host's ledger) when to kill.
 */
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { DEMO_CATALOG_FILE } from '../catalog/demo-catalog.ts';
import { DEFAULT_STATION_CONFIG } from '../config/station-config.ts';
import { DEMO_OPERATORS } from '../operators/operators-config.ts';
import { createStation } from '../station/station.ts';
import { call, until } from './station-calls.ts';

const [host = '127.0.0.1', port = '0', dataDir = ''] = process.argv.slice(2);
const ROOT = resolve(import.meta.dirname, '..', '..');
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const station = await createStation({
  config: { ...DEFAULT_STATION_CONFIG, acquirer: { mode: 'remote', host, port: Number(port), responseTimeoutMs: 30_000, transport: 'tls' } },
  dataDir,
  deckPath: join(ROOT, 'bank', 'deck', 'test-cards.json'),
  seedCatalogPath: DEMO_CATALOG_FILE,
  shell: 'browser',
  acquirer: { host, port: Number(port), bundled: false },
  log: () => undefined,
});
const progress: { paymentId: string; step: string }[] = [];
const authorizing = new Set<number>();
station.checkout.events.connect((event, payload) => {
  if (event !== 'paymentProgress') return;
  const step = payload as { paymentId: string; step: string; tenderId?: number };
  progress.push(step);
  // The request is about to leave: said once per tender, the test holds the host's answer back from here.
  if (step.step === 'authorizing' && step.tenderId !== undefined && !authorizing.has(step.tenderId)) {
    authorizing.add(step.tenderId);
    console.log(`STEP authorizing ${step.tenderId}`);
  }
});
let pinPadWaiting = false;
station.simulator.events.connect((event, payload) => {
  if (event === 'pinPadDisplay') pinPadWaiting = (payload as { awaitingPin: boolean }).awaitingPin;
});

/** Says where it is; with `wait`, holds there until the test says go. */
async function step(name: string, wait: boolean): Promise<void> {
  console.log(`STEP ${name}${wait ? '?' : ''}`);
  if (wait) await lines.next();
}

async function card(amountMinor: number | undefined, cardId: string, pin: string): Promise<string> {
  const { paymentId } = await call<{ paymentId: string }>(station.checkout.dispatch, 'startCardTender', amountMinor === undefined ? {} : { amountMinor });
  await until(() => progress.some((event) => event.paymentId === paymentId && event.step === 'present_card'));
  await call(station.simulator.dispatch, 'swipeCard', { cardId, fault: 'none' });
  await until(() => pinPadWaiting);
  for (const key of [...pin, 'enter']) await call(station.simulator.dispatch, 'pressPinPadKey', { key });
  await station.services.tenders.whenIdle();
  return progress.filter((event) => event.paymentId === paymentId).at(-1)?.step ?? 'none';
}

await until(() => station.services.acquirer.monitor.state === 'up');
await call(station.checkout.dispatch, 'signIn', { operatorId: DEMO_OPERATORS[0].id, pin: DEMO_OPERATORS[0].pin });
await call(station.checkout.dispatch, 'openShift', { floatMinor: 10_000 });
for (const sku of ['HOM-002', 'COF-001']) await call(station.checkout.dispatch, 'addItem', { sku, quantity: 1 });
await step('rung', true);
await call(station.checkout.dispatch, 'startCashTender', { amountMinor: 1000, receivedMinor: 1000 });
await station.services.tenders.whenIdle();
await step('cash', true);
await step(`card-a ${await card(2000, 'mastercard-2series-credit', '2468')}`, true);
await step(`card-b ${await card(undefined, 'unionpay-debit-approved', '123456')}`, true);
await station.stop();
process.exit(0);
