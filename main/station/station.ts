/**
 * The composition root shared by both shells (the Electron app and the browser-target station
 * server): it builds the journal, the devices, the acquirer link and the checkout from the config,
 * and exposes the two contracts as dispatchers plus event buses. Nothing here imports Electron.
 */
import { join } from 'node:path';
import { checkoutContract, type CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import { simulatorContract, type SimulatorContract } from '../../common/ipc/simulator-contract.ts';
import { isFinalStep } from '../../common/payment.ts';
import { createAcquirerServices } from '../acquirer/acquirer-services.ts';
import { forwardScans } from '../catalog/scans-to-checkout.ts';
import { StationCatalog } from '../catalog/station-catalog.ts';
import { CheckoutService } from '../checkout/checkout-service.ts';
import { STATION_PIN_ATTEMPTS } from '../checkout/pin-tries.ts';
import { TillLock } from '../checkout/till-lock.ts';
import type { StationConfig } from '../config/station-config.ts';
import { cardReaderPort } from '../devices/card-reader-port.ts';
import { pinPadPort } from '../devices/pin-pad-port.ts';
import { refuseRealCardsOnVirtualPinPad } from '../devices/virtual-pin-pad-guard.ts';
import { createStationDevices } from '../devices/station-devices.ts';
import { virtualPinEncryptor } from '../devices/virtual-pin-encryptor.ts';
import { createDispatcher, IpcRejection, type Dispatch } from '../ipc/dispatcher.ts';
import { EventBus } from '../ipc/event-bus.ts';
import { Journal } from '../journal/journal.ts';
import { loadVaultKey } from '../journal/vault-key.ts';
import { connectSimulator } from '../simulator/simulator-side.ts';
import { loadTestDeck } from '../simulator/test-cards.ts';
import { forwardAcquirerEvents, transactionHandlers } from './transaction-handlers.ts';

export interface StationOptions {
  readonly config: StationConfig;
  readonly dataDir: string;
  readonly deckPath: string;
  /** The catalog file a new data directory starts with (the shipped demo catalog, main/catalog/demo-catalog.csv). */
  readonly seedCatalogPath: string;
  readonly shell: 'electron' | 'browser';
  /** Where the acquirer host listens, after the shell started the bundled one (or from config). */
  readonly acquirer: { readonly host: string; readonly port: number; readonly bundled: boolean };
  readonly log: (line: string) => void;
}


export interface Station {
  readonly checkout: { readonly dispatch: Dispatch; readonly events: EventBus<CheckoutContract> };
  readonly simulator: { readonly dispatch: Dispatch; readonly events: EventBus<SimulatorContract> };
  /** The acquirer host is listening again (the bundled one was restarted): sign on and send the queue now, not at the link's next retry. */
  reconnectAcquirer(): void;
  stop(): Promise<void>;
}

export async function createStation(options: StationOptions): Promise<Station> {
  const { config, log } = options;
  const journal = new Journal(join(options.dataDir, 'journal.sqlite'), { vaultKey: loadVaultKey(join(options.dataDir, 'keys', 'pan-vault.key')) });
  const deck = loadTestDeck(options.deckPath);
  const catalog = new StationCatalog({ dataDir: options.dataDir, seedFile: options.seedCatalogPath, log });
  const devices = await createStationDevices({
    devices: config.devices,
    pinEncryptor: virtualPinEncryptor(config.virtualPinPad, options.dataDir),
    receipt: {
      locale: config.receipt.locale,
      merchantName: config.merchant.name,
      merchantId: config.merchant.id,
      terminalId: config.merchant.terminalId,
      // The virtual printer has a GB18030 font; a USB printer's comes from its model entry.
      profile: { widthMm: config.receipt.paperWidthMm, cjk: 'gb18030' },
    },
    log,
  });
  const acquirer = createAcquirerServices({
    endpoint: { host: options.acquirer.host, port: options.acquirer.port, responseTimeoutMs: config.acquirer.responseTimeoutMs },
    journal,
    terminalId: config.merchant.terminalId,
    merchantId: config.merchant.id,
    log,
  });
  const tillLock = new TillLock();
  // State-like events replay to a window that (re)connects: each device's status, the current payment, the PIN pad's screen.
  const checkoutEvents = new EventBus(checkoutContract, { deviceStatus: (status) => status.device, paymentProgress: (progress) => (isFinalStep(progress.step) ? undefined : 'current'), linkStatus: () => 'link' });
  const simulatorEvents = new EventBus(simulatorContract, { pinPadDisplay: () => 'screen', virtualDevices: () => 'state' });

  const checkout = new CheckoutService({
    settings: {
      terminalId: config.merchant.terminalId,
      merchantId: config.merchant.id,
      currency: config.currency,
      acceptedSchemes: config.acceptedSchemes,
      pinEntryTimeoutSeconds: config.pinEntryTimeoutSeconds,
      pinAttemptsPerPayment: STATION_PIN_ATTEMPTS,
    },
    catalog: { sellable: (sku) => catalog.current().sellable(sku) },
    journal,
    cardReader: cardReaderPort(devices.cardReads),
    pinPad: refuseRealCardsOnVirtualPinPad(pinPadPort(devices.pinPad, devices.pinDigits), devices),
    acquirer: acquirer.port,
    reversals: acquirer.reversals,
    tillLock,
    receipts: devices.receipts,
    onProgress: (progress) => checkoutEvents.emit('paymentProgress', progress),
    log,
  });

  const stopStatus = devices.onStatus((status) => checkoutEvents.emit('deviceStatus', status));
  const simulator = connectSimulator(deck, devices, () => catalog.current(), simulatorEvents);
  const stopReceiptIssues = devices.onReceiptIssue((issue) => checkoutEvents.emit('receiptIssue', issue));
  const stopReceipts = devices.onReceiptPrinted((paymentId, receipt) => checkoutEvents.emit('receiptPrinted', { paymentId, receipt }));
  const stopAcquirerEvents = forwardAcquirerEvents(acquirer, journal, checkoutEvents);
  const stopScans = forwardScans(devices.scans, () => catalog.current(), (scan) => checkoutEvents.emit('barcodeScanned', scan), log);
  const onInternalError = (method: string, error: unknown) => log(`ipc ${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);

  const checkoutDispatch = createDispatcher(
    checkoutContract,
    {
      getStationInfo: () => ({
        merchantName: config.merchant.name,
        merchantId: config.merchant.id,
        terminalId: config.merchant.terminalId,
        currency: config.currency,
        acceptedSchemes: config.acceptedSchemes,
        deviceMode: config.devices.mode,
        acquirer: options.acquirer,
        shell: options.shell,
      }),
      listCatalog: () => [...catalog.current().listed()],
      startPayment: ({ lines }) => checkout.startPayment(lines),
      cancelPayment: ({ paymentId }) => checkout.cancelPayment(paymentId),
      listJournal: ({ limit }) => journal.recent(limit),
      listDevices: () => devices.statuses(),
      reprintReceipt: async ({ paymentId }) => {
        const outcome = await devices.reprint(paymentId);
        if (!outcome) throw new IpcRejection('not_found', 'the station no longer holds that sale for a reprint');
        return outcome.printed ? { printed: true } : { printed: false, issue: outcome.issue };
      },
      ...transactionHandlers({ config, journal, acquirer, checkout, tillLock, log }),
    },
    onInternalError,
  );
  const simulatorDispatch = createDispatcher(simulatorContract, simulator.handlers, onInternalError);
  // Interrupted transactions are queued for reversal, then the link signs on and the queue drains.
  acquirer.start();

  return {
    checkout: { dispatch: checkoutDispatch, events: checkoutEvents },
    simulator: { dispatch: simulatorDispatch, events: simulatorEvents },
    reconnectAcquirer: () => void acquirer.deliverQueued().catch((error: unknown) => log(`acquirer link: ${error instanceof Error ? error.message : String(error)}`)),
    async stop() {
      stopStatus();
      simulator.stop();
      stopReceiptIssues();
      stopReceipts();
      stopAcquirerEvents();
      stopScans();
      await checkout.whenIdle();
      await devices.stop();
      await acquirer.stop();
      journal.close();
      catalog.close();
    },
  };
}
