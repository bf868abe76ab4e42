/**
 * Test support, run as its own process so a test can kill it (-9) in the middle of a QR payment:
 * the station as the product builds it (createStation), a remote host and its wallet platform,
 * virtual devices, and a cashier who rings up one item and starts a QR tender.
 *
 *   node main/test-support/qr-sale-station.ts HOST PORT WALLET_HOST WALLET_PORT DATA_DIR MODE
 *
 * MODE merchant_presented: prints "STEP shown <payload>" once the code is on show.
 * MODE customer_presented: prints "STEP scan" once it waits for the payment code, reads the code on
 * stdin, scans it with the virtual scanner and prints "STEP sent" once the micropay has gone out.
 * Then it waits (the test kills it); a line "finish" lets it wait for the flow's end, print
 * "STEP <final step>" and stop.
 */
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { PaymentProgress } from '../../common/payment.ts';
import { DEMO_CATALOG_FILE } from '../catalog/demo-catalog.ts';
import { DEFAULT_STATION_CONFIG } from '../config/station-config.ts';
import { DEMO_OPERATORS } from '../operators/operators-config.ts';
import { createStation } from '../station/station.ts';
import { call, until } from './station-calls.ts';

const [host = '127.0.0.1', port = '0', walletHost = '127.0.0.1', walletPort = '0', dataDir = '', mode = 'merchant_presented'] = process.argv.slice(2);
const ROOT = resolve(import.meta.dirname, '..', '..');
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const station = await createStation({
  config: {
    ...DEFAULT_STATION_CONFIG,
    acquirer: { mode: 'remote', host, port: Number(port), responseTimeoutMs: 30_000, transport: 'plain' },
    devices: { ...DEFAULT_STATION_CONFIG.devices, mode: 'virtual' },
    wallet: { ...DEFAULT_STATION_CONFIG.wallet, queryDelaysMs: [100] },
  },
  dataDir,
  deckPath: join(ROOT, 'bank', 'deck', 'test-cards.json'),
  seedCatalogPath: DEMO_CATALOG_FILE,
  shell: 'browser',
  acquirer: { host, port: Number(port), bundled: false },
  walletEndpoint: () => ({ host: walletHost, port: Number(walletPort) }),
  log: () => undefined,
});
const progress: PaymentProgress[] = [];
station.checkout.events.connect((event, payload) => {
  if (event === 'paymentProgress') progress.push(payload as PaymentProgress);
});

await call(station.checkout.dispatch, 'signIn', { operatorId: DEMO_OPERATORS[0].id, pin: DEMO_OPERATORS[0].pin });
await call(station.checkout.dispatch, 'openShift', { floatMinor: 10_000 });
await call(station.checkout.dispatch, 'addItem', { sku: 'COF-001', quantity: 1 });
const { paymentId } = await call<{ paymentId: string }>(station.checkout.dispatch, 'startQrTender', { mode });
if (mode === 'merchant_presented') {
  await until(() => progress.some((event) => event.paymentId === paymentId && event.qr?.payload !== undefined));
  console.log(`STEP shown ${progress.find((event) => event.qr?.payload !== undefined)!.qr!.payload}`);
} else {
  await until(() => progress.some((event) => event.paymentId === paymentId && event.step === 'scan_qr'));
  console.log('STEP scan');
  const code = String((await lines.next()).value ?? '').trim();
  await call(station.simulator.dispatch, 'scanBarcode', { code });
  await until(() => progress.some((event) => event.paymentId === paymentId && event.qr?.orderNo !== undefined));
  console.log('STEP sent');
}
await lines.next();
await station.services.tenders.whenIdle();
console.log(`STEP ${progress.filter((event) => event.paymentId === paymentId).at(-1)?.step ?? 'none'}`);
await station.stop();
process.exit(0);
