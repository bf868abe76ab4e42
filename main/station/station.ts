/**
 * The composition root shared by both shells (the Electron app and the browser-target station
 * server) and by the station's own integration tests (main/test-support/station-rig.ts): it builds
 * the journal, the devices, the acquirer link, the payment flows and the sale, shift and settlement
 * services from the config, and exposes the two contracts as dispatchers plus event buses. Nothing
 * here imports Electron.
 */
import { dirname, join } from 'node:path';
import { checkoutContract, type CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import { displayContract, type DisplayContract } from '../../common/ipc/display-contract.ts';
import { simulatorContract, type SimulatorContract } from '../../common/ipc/simulator-contract.ts';
import { isFinalStep } from '../../common/payment.ts';
import { createAcquirerServices } from '../acquirer/acquirer-services.ts';
import { linkSecurity } from '../acquirer/link-security.ts';
import { forwardScans } from '../catalog/scans-to-checkout.ts';
import { StationCatalog } from '../catalog/station-catalog.ts';
import { settleInterruptedQrTenders, settleWalletLegs } from '../checkout/qr/qr-recovery.ts';
import { createWalletLink } from '../checkout/qr/wallet-link.ts';
import { recoverInterruptedTenders, reactToVoidOutcomes } from '../checkout/sale-recovery.ts';
import type { StationConfig } from '../config/station-config.ts';
import { connectCustomerDisplay } from '../display/customer-display.ts';
import { createStationDevices } from '../devices/station-devices.ts';
import { virtualCardDataEncryptor, virtualPinEncryptor } from '../devices/virtual-pin-encryptor.ts';
import { createDispatcher, type Dispatch } from '../ipc/dispatcher.ts';
import { domainErrorToIpc } from '../ipc/domain-errors.ts';
import { EventBus } from '../ipc/event-bus.ts';
import { connectHeadOffice, type StationHeadOffice } from '../head-office/station-head-office.ts';
import { Journal } from '../journal/journal.ts';
import { deleteRetiredVaultKey, RETIRED_VAULT_KEY_FILE } from '../journal/retired-vault-key.ts';
import { exitKiosk, type KioskShell } from '../operators/kiosk-exit.ts';
import { loadOperators } from '../operators/operators-config.ts';
import { Session } from '../operators/session.ts';
import { connectSimulator } from '../simulator/simulator-side.ts';
import { createVirtualPhone, loadTestWallets } from '../simulator/virtual-phone.ts';
import { loadTestDeck } from '../simulator/test-cards.ts';
import { VirtualChipCards } from '../simulator/virtual-chip-cards.ts';
import { saleHandlers } from './sale-handlers.ts';
import { forwardSaleEvents } from './sale-events-forwarding.ts';
import { reverseUncompletedChipLegs } from '../checkout/chip-recovery.ts';
import { createCheckoutServices, type CheckoutServices } from './checkout-services.ts';
import { shiftHandlers } from './shift-handlers.ts';
import { transactionHandlers } from './transaction-handlers.ts';

export interface StationOptions {
  readonly config: StationConfig;
  readonly dataDir: string;
  readonly deckPath: string;
  /** The catalog file a new data directory starts with (the shipped demo catalog, main/catalog/demo-catalog.csv). */
  readonly seedCatalogPath: string;
  readonly shell: 'electron' | 'browser';
  /** Where the acquirer host listens, after the shell started the bundled one (or from config). */
  readonly acquirer: { readonly host: string; readonly port: number; readonly bundled: boolean };
  /** Where the bundled host's wallet platform listens now (it moves when the host restarts); station.json's wallet.baseUrl wins. */
  readonly walletEndpoint?: () => { readonly host: string; readonly port: number } | undefined;
  readonly log: (line: string) => void;
  /** The shell's kiosk mode, when it has one (the Electron app): exitKiosk leaves it once a supervisor approves. */
  readonly kiosk?: KioskShell;
  /** Tests shorten the link's timers and the drawer's left-open delay; the product runs with the defaults. */
  readonly tuning?: {
    readonly reconnectBaseMs?: number;
    readonly safRetryBaseMs?: number;
    readonly echoIdleMs?: number;
    readonly drawerLeftOpenMs?: number;
    readonly walletRetryDelaysMs?: readonly number[];
    readonly headOffice?: { readonly retryBaseMs?: number; readonly retryMaxMs?: number; readonly heartbeatMs?: number; readonly batchSize?: number };
  };
}

export interface Station {
  readonly checkout: { readonly dispatch: Dispatch; readonly events: EventBus<CheckoutContract> };
  readonly simulator: { readonly dispatch: Dispatch; readonly events: EventBus<SimulatorContract> };
  /** The customer display's read-only contract: events only (station-pages.ts serves it display-only). */
  readonly display: { readonly dispatch: Dispatch; readonly events: EventBus<DisplayContract> };
  /**
   * The acquirer host is listening again (the bundled one was restarted), at `address` (another port
   * when its own was taken): the link follows it, signs on and sends the queue now, not at its next retry.
   */
  reconnectAcquirer(address: { readonly host: string; readonly port: number }): void;
  /** The services behind the contracts: for the station's own integration tests. */
  readonly services: CheckoutServices;
  /** The uploader and price lists, when station.json names a head office. */
  readonly headOffice: StationHeadOffice | undefined;
  stop(): Promise<void>;
}

export async function createStation(options: StationOptions): Promise<Station> {
  const { config, log, tuning = {} } = options;
  const now = () => new Date();
  const operators = await loadOperators(join(options.dataDir, 'operators.json'));
  const journal = new Journal(join(options.dataDir, 'journal.sqlite'), { stationId: config.merchant.terminalId });
  // Journal v5 dropped the PAN vault; its key goes too, so nothing it sealed can be opened again.
  if (deleteRetiredVaultKey(join(options.dataDir, ...RETIRED_VAULT_KEY_FILE.split('/')))) log(`deleted the retired PAN-vault key ${RETIRED_VAULT_KEY_FILE}: profile v4 sends no PAN after an authorization`);
  const deck = loadTestDeck(options.deckPath);
  const catalog = new StationCatalog({ dataDir: options.dataDir, seedFile: options.seedCatalogPath, log });
  const devices = await createStationDevices({
    devices: config.devices,
    pinEncryptor: virtualPinEncryptor(config.virtualPinPad, options.dataDir),
    // The virtual pad's stripe head encrypts under its own DUKPT data key (used when devices.stripeReader is "pin-pad").
    cardDataEncryptor: virtualCardDataEncryptor(config.virtualPinPad, options.dataDir),
    // The virtual printer has a GB18030 font; a USB printer's comes from its model entry.
    printer: { profile: { widthMm: config.receipt.paperWidthMm, cjk: 'gb18030' }, ...(tuning.drawerLeftOpenMs === undefined ? {} : { drawerLeftOpenMs: tuning.drawerLeftOpenMs }) },
    log,
  });
  // Where the acquirer host listens now: the bundled one may move (reconnectAcquirer).
  let acquirerAddress = { host: options.acquirer.host, port: options.acquirer.port };
  const acquirer = createAcquirerServices({
    endpoint: { host: options.acquirer.host, port: options.acquirer.port, responseTimeoutMs: config.acquirer.responseTimeoutMs },
    security: linkSecurity({ transport: config.acquirer.transport, dataDir: options.dataDir, terminalId: config.merchant.terminalId }),
    journal,
    terminalId: config.merchant.terminalId,
    merchantId: config.merchant.id,
    log,
    ...tuning,
  });
  // State-like events replay to a window that (re)connects: each device's status, the current payment and sale, the session, the PIN pad's screen.
  const checkoutEvents = new EventBus(checkoutContract, {
    deviceStatus: (status) => status.device,
    paymentProgress: (progress) => (isFinalStep(progress.step) ? undefined : 'current'),
    currentSale: () => 'current',
    session: () => 'session',
    linkStatus: () => 'link',
    headOfficeStatus: () => 'head-office',
  });
  const simulatorEvents = new EventBus(simulatorContract, { pinPadDisplay: () => 'screen', virtualDevices: () => 'state' });
  const displayEvents = new EventBus(displayContract, { view: () => 'screen' });
  const session = new Session(operators, now);
  let shownQr: string | undefined;
  const wallet = createWalletLink({ config: config.wallet, endpoint: options.walletEndpoint ?? (() => undefined), journal, terminalId: config.merchant.terminalId, log });
  const services = createCheckoutServices({
    config,
    journal,
    devices,
    acquirer,
    session,
    catalog: { sellable: (sku) => catalog.current().sellable(sku) },
    now,
    log,
    onProgress: (progress) => {
      // The merchant-presented code on show: the virtual phone's camera reads it (the customer display shows it).
      if (progress.step === 'show_qr' && progress.qr?.payload !== undefined) shownQr = progress.qr.payload;
      else if (progress.step !== 'show_qr') shownQr = undefined;
      checkoutEvents.emit('paymentProgress', progress);
    },
    wallet,
    ...(tuning.walletRetryDelaysMs === undefined ? {} : { walletRetryDelaysMs: tuning.walletRetryDelaysMs }),
  });

  const stops = [
    reactToVoidOutcomes(journal, now),
    forwardSaleEvents(journal, checkoutEvents),
    session.onChange(() => checkoutEvents.emit('session', services.sessionState())),
    devices.onStatus((status) => checkoutEvents.emit('deviceStatus', status)),
    devices.onReceiptIssue((issue) => checkoutEvents.emit('receiptIssue', issue)),
    devices.onReceiptPrinted((document, receipt) => checkoutEvents.emit('receiptPrinted', { document, receipt })),
    acquirer.onStatus((status) => checkoutEvents.emit('linkStatus', status)),
    forwardScans(devices.scans, () => catalog.current(), (scan) => checkoutEvents.emit('barcodeScanned', scan), log),
  ];
  const headOffice = config.headOffice && connectHeadOffice({ settings: config.headOffice, dataDir: options.dataDir, journal, catalog, log, ...(tuning.headOffice ? { tuning: tuning.headOffice } : {}) });
  if (headOffice) {
    stops.push(headOffice.onStatus((status) => checkoutEvents.emit('headOfficeStatus', status)));
    checkoutEvents.emit('headOfficeStatus', headOffice.status());
  }
  const phone = createVirtualPhone(loadTestWallets(join(dirname(options.deckPath), 'test-wallets.json')), () => wallet.baseUrl());
  // Listened for only once the device and link events are wired: awaiting earlier would let the devices' first statuses pass unseen.
  await wallet.start();
  const simulator = connectSimulator(deck, devices, VirtualChipCards.load(dirname(options.deckPath), options.dataDir), () => catalog.current(), simulatorEvents, { phone, shownCode: () => shownQr });
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
        acquirer: { ...options.acquirer, ...acquirerAddress },
        shell: options.shell,
      }),
      listCatalog: () => [...catalog.current().listed()],
      listDevices: () => devices.statuses(),
      ...shiftHandlers(services),
      ...saleHandlers(services),
      ...transactionHandlers(services),
      exitKiosk: ({ approval }) => exitKiosk({ session, shell: options.kiosk, till: services.tillLock, log }, approval),
    },
    onInternalError,
    domainErrorToIpc,
  );
  const simulatorDispatch = createDispatcher(simulatorContract, simulator.handlers, onInternalError);
  const displayDispatch = createDispatcher(displayContract, {}, onInternalError);
  // Interrupted card legs are queued for reversal, then the tenders a crash left running end, then the link signs on and the queue drains.
  acquirer.start();
  reverseUncompletedChipLegs(journal, acquirer.reversals, log);
  settleInterruptedQrTenders(journal, config.wallet, now, log);
  recoverInterruptedTenders(journal, now, log);
  // The wallet's side of interrupted QR payments and refunds: reversed or re-sent in the background.
  const walletRecovery = settleWalletLegs(journal, wallet, services.qrRefunds!, log).catch((error: unknown) => log(`QR recovery failed: ${error instanceof Error ? error.message : String(error)}`));
  checkoutEvents.emit('session', services.sessionState());
  checkoutEvents.emit('currentSale', { ...(services.sales.current() ? { sale: services.sales.current()! } : {}) });
  // After the first session and sale are on the bus, so the display starts from the replayed present.
  stops.push(connectCustomerDisplay(checkoutEvents, displayEvents, { merchantName: config.merchant.name, currency: config.currency }));

  return {
    checkout: { dispatch: checkoutDispatch, events: checkoutEvents },
    simulator: { dispatch: simulatorDispatch, events: simulatorEvents },
    display: { dispatch: displayDispatch, events: displayEvents },
    reconnectAcquirer: (address) => {
      acquirerAddress = { host: address.host, port: address.port };
      acquirer.moveTo(acquirerAddress);
      void acquirer.deliverQueued().catch((error: unknown) => log(`acquirer link: ${error instanceof Error ? error.message : String(error)}`));
    },
    services,
    headOffice,
    async stop() {
      for (const stop of stops) stop();
      await headOffice?.stop();
      simulator.stop();
      await services.tenders.whenIdle();
      await walletRecovery;
      await wallet.stop();
      await devices.stop();
      await acquirer.stop();
      journal.close();
      catalog.close();
    },
  };
}
