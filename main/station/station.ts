/**
 * The composition root shared by both shells (the Electron app and the browser-target station
 * server): it builds the journal, the devices, the acquirer link and the checkout from the config,
 * and exposes the two contracts as dispatchers plus event buses. Nothing here imports Electron.
 */
import { join } from 'node:path';
import { checkoutContract, type CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import { simulatorContract, type SimulatorContract } from '../../common/ipc/simulator-contract.ts';
import { isFinalStep } from '../../common/payment.ts';
import { fileKsnStore } from '../../peripherals/pin-pad/ksn-store.ts';
import { tdesDukptEncryptor } from '../../peripherals/pin-pad/pin-encryption.ts';
import { AcquirerLink } from '../acquirer/acquirer-link.ts';
import { DEMO_CATALOG } from '../catalog/demo-catalog.ts';
import { CheckoutService } from '../checkout/checkout-service.ts';
import type { StationConfig } from '../config/station-config.ts';
import { cardReaderPort } from '../devices/card-reader-port.ts';
import { pinPadPort } from '../devices/pin-pad-port.ts';
import { createVirtualStationDevices } from '../devices/station-devices.ts';
import { createDispatcher, type Dispatch } from '../ipc/dispatcher.ts';
import { EventBus } from '../ipc/event-bus.ts';
import { Journal } from '../journal/journal.ts';
import { simulatorHandlers } from '../simulator/simulator-handlers.ts';
import { loadTestDeck } from '../simulator/test-cards.ts';

export interface StationOptions {
  readonly config: StationConfig;
  readonly dataDir: string;
  readonly deckPath: string;
  readonly shell: 'electron' | 'browser';
  /** Where the acquirer host listens, after the shell started the bundled one (or from config). */
  readonly acquirer: { readonly host: string; readonly port: number; readonly bundled: boolean };
  readonly log: (line: string) => void;
}


export interface Station {
  readonly checkout: { readonly dispatch: Dispatch; readonly events: EventBus<CheckoutContract> };
  readonly simulator: { readonly dispatch: Dispatch; readonly events: EventBus<SimulatorContract> };
  stop(): Promise<void>;
}

export async function createStation(options: StationOptions): Promise<Station> {
  const { config, log } = options;
  if (config.devices.mode !== 'virtual') log(`device mode "${config.devices.mode}": USB discovery is not available in this build, using the virtual devices`);
  const journal = new Journal(join(options.dataDir, 'journal.sqlite'));
  const deck = loadTestDeck(options.deckPath);
  const ksnStore = fileKsnStore(join(options.dataDir, 'virtual-devices', 'pin-pad-ksn.json'), Buffer.from(config.virtualPinPad.initialKsn, 'hex'));
  const devices = createVirtualStationDevices(tdesDukptEncryptor(Buffer.from(config.virtualPinPad.ipek, 'hex'), ksnStore), {
    locale: config.receipt.locale,
    merchantName: config.merchant.name,
    merchantId: config.merchant.id,
    terminalId: config.merchant.terminalId,
    // The virtual printer has a GB18030 font; a real model's profile comes with its driver.
    profile: { widthMm: config.receipt.paperWidthMm, cjk: 'gb18030' },
  });
  const acquirer = new AcquirerLink({ host: options.acquirer.host, port: options.acquirer.port, responseTimeoutMs: config.acquirer.responseTimeoutMs });
  // State-like events replay to a window that (re)connects: each device's status, the current payment, the PIN pad's screen.
  const checkoutEvents = new EventBus(checkoutContract, { deviceStatus: (status) => status.device, paymentProgress: (progress) => (isFinalStep(progress.step) ? undefined : 'current') });
  const simulatorEvents = new EventBus(simulatorContract, { pinPadDisplay: () => 'screen' });

  for (const entry of journal.pending()) {
    log(`journal: transaction ${entry.id} (STAN ${entry.stan}, ${entry.maskedPan}) was interrupted before the host answered`);
  }

  const checkout = new CheckoutService({
    settings: {
      terminalId: config.merchant.terminalId,
      merchantId: config.merchant.id,
      currency: config.currency,
      acceptedSchemes: config.acceptedSchemes,
      pinEntryTimeoutSeconds: config.pinEntryTimeoutSeconds,
    },
    catalog: DEMO_CATALOG,
    journal,
    cardReader: cardReaderPort(devices.cardReads),
    pinPad: pinPadPort(devices.pinPad, (listener) => devices.virtualPinPad.onScreen((screen) => listener(screen.pinDigits))),
    acquirer,
    receipts: devices.receipts,
    onProgress: (progress) => checkoutEvents.emit('paymentProgress', progress),
    log,
  });

  const stopStatus = devices.onStatus((status) => checkoutEvents.emit('deviceStatus', status));
  const stopScreen = devices.virtualPinPad.onScreen((screen) => simulatorEvents.emit('pinPadDisplay', { ...screen, lines: [...screen.lines] }));
  const stopReceipts = devices.onReceiptPrinted((paymentId, receipt) => checkoutEvents.emit('receiptPrinted', { paymentId, receipt }));
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
      listCatalog: () => [...DEMO_CATALOG],
      startPayment: ({ lines }) => checkout.startPayment(lines),
      cancelPayment: ({ paymentId }) => checkout.cancelPayment(paymentId),
      listJournal: ({ limit }) => journal.recent(limit),
      listDevices: () => devices.statuses(),
    },
    onInternalError,
  );
  const simulatorDispatch = createDispatcher(simulatorContract, simulatorHandlers(deck, devices.virtualCardReader, devices.virtualPinPad), onInternalError);

  return {
    checkout: { dispatch: checkoutDispatch, events: checkoutEvents },
    simulator: { dispatch: simulatorDispatch, events: simulatorEvents },
    async stop() {
      stopStatus();
      stopScreen();
      stopReceipts();
      await checkout.whenIdle();
      await devices.stop();
      acquirer.close();
      journal.close();
    },
  };
}
