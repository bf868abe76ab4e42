/**
 * The product's station (createStation, the one composition root) in a process of its own, with a
 * head office in its config, so a test can kill -9 it at any moment: it signs the demo cashier in,
 * opens the shift if none is open, and sells cash sales through the checkout contract, voiding every
 * fifth and refunding part of every fourth (a supervisor approving), printing SOLD n after each.
 * SALES (default: until killed) sales, then it waits until the head office holds everything, prints
 * DRAINED and stops. The acquirer port is closed: cash needs no host.
 * Env: DATA_DIR (with keys/head-office.json), HQ_URL, SALES.
 */
import { resolve } from 'node:path';
import { DEMO_CATALOG_FILE } from '../../main/catalog/demo-catalog.ts';
import { DEFAULT_STATION_CONFIG, type StationConfig } from '../../main/config/station-config.ts';
import { DEMO_OPERATORS } from '../../main/operators/operators-config.ts';
import { createStation } from '../../main/station/station.ts';

const dataDir = process.env.DATA_DIR!;
const sales = Number(process.env.SALES ?? Infinity);
const config: StationConfig = {
  ...DEFAULT_STATION_CONFIG,
  // No acquirer listens on port 9: these stations take cash; plain TCP, as there is no host to enrol with.
  acquirer: { mode: 'remote', host: '127.0.0.1', port: 9, responseTimeoutMs: 5000, transport: 'plain' },
  devices: { ...DEFAULT_STATION_CONFIG.devices, mode: 'virtual' },
  headOffice: { url: process.env.HQ_URL! },
};
const station = await createStation({
  config,
  dataDir,
  deckPath: resolve(import.meta.dirname, '..', '..', 'bank', 'deck', 'test-cards.json'),
  seedCatalogPath: DEMO_CATALOG_FILE,
  shell: 'browser',
  acquirer: { host: '127.0.0.1', port: 9, bundled: false },
  log: () => undefined,
  tuning: { reconnectBaseMs: 60_000, drawerLeftOpenMs: 60_000, headOffice: { retryBaseMs: 20, retryMaxMs: 200, batchSize: 7 } },
});
const call = async (method: string, input: unknown) => {
  const result = await station.checkout.dispatch(method as never, input as never);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as { id: string; tenders: { id: number }[]; status: string };
};
const [cashier, supervisor] = DEMO_OPERATORS;
const approval = { operatorId: supervisor!.id, pin: supervisor!.pin };

await call('signIn', { operatorId: cashier!.id, pin: cashier!.pin });
if (!station.services.journal.shifts.current()) await call('openShift', { floatMinor: 10_000 });
// A sale a kill left open or tendering is given up, as a cashier would after a restart.
if (station.services.journal.sales.current().length > 0) await call('cancelSale', {});
for (let n = 1; n <= sales; n++) {
  const sale = await call('addItem', { sku: n % 2 ? 'TEA-001' : 'COF-001', quantity: 1 + (n % 3) });
  await call('startCashTender', { receivedMinor: 10_000 });
  await station.services.tenders.whenIdle();
  const paid = await call('getSale', { saleId: sale.id });
  if (n % 5 === 0) await call('voidSale', { saleId: sale.id, approval });
  else if (n % 4 === 0) await call('refundTender', { saleId: sale.id, tenderId: paid.tenders[0]!.id, amountMinor: 100, approval });
  console.log(`SOLD ${n}`);
}
await station.headOffice!.uploader.drained();
await station.stop();
console.log('DRAINED');
