/**
 * The station's services behind the checkout contract, built once, the same way for the product and
 * its tests: the payment flows registered by tender type and entry mode (card × magstripe, cash,
 * QR × merchant- or customer-presented when a wallet platform is linked), the sale, tender, undo,
 * shift, receipt and settlement services over one journal.
 */
import type { Product } from '../../common/catalog.ts';
import type { PaymentProgress } from '../../common/payment.ts';
import type { SessionState } from '../../common/shift.ts';
import { createUuidV7Generator } from '../../common/uuid-v7.ts';
import { testCaPublicKeys } from '../../payments/emv/kernel/ca-public-keys.ts';
import type { AcquirerServices } from '../acquirer/acquirer-services.ts';
import { settlementServiceFor, type SettlementService } from '../batch/settlement-service.ts';
import { CardPresentment, chipSource, magstripeSource } from '../checkout/flows/card-presentment.ts';
import { CashierApplicationChoice } from '../checkout/flows/application-choice.ts';
import { ChipFailures } from '../checkout/flows/chip-failures.ts';
import { chipFlow } from '../checkout/flows/chip-flow.ts';
import { contactlessFlow } from '../checkout/flows/contactless-flow.ts';
import { cashFlow } from '../checkout/flows/cash-flow.ts';
import { FlowRegistry } from '../checkout/flows/flow-registry.ts';
import { magstripeFlow } from '../checkout/flows/magstripe-flow.ts';
import { qrFlow } from '../checkout/flows/qr-flow.ts';
import { scannedPaymentCode } from '../checkout/flows/qr-presentment.ts';
import { QrRefunds, qrUndo } from '../checkout/qr/qr-refunds.ts';
import type { WalletLink } from '../checkout/qr/wallet-link.ts';
import { STATION_PIN_ATTEMPTS } from '../checkout/pin-tries.ts';
import { printerDrawer, Receipts } from '../checkout/receipts.ts';
import { SaleService } from '../checkout/sale-service.ts';
import { SaleUndoService } from '../checkout/sale-undo.ts';
import { TenderService } from '../checkout/tender-service.ts';
import { cardUndo, cashUndo, TenderUndoRegistry } from '../checkout/tender-undo.ts';
import { TillLock } from '../checkout/till-lock.ts';
import { terminalConfigFor } from '../config/chip-config.ts';
import type { StationConfig } from '../config/station-config.ts';
import { cardReaderPort } from '../devices/card-reader-port.ts';
import { chipReaderPort } from '../devices/chip-reader-port.ts';
import { pinPadPort } from '../devices/pin-pad-port.ts';
import type { StationDevices } from '../devices/station-devices.ts';
import { refuseRealCardsOnVirtualPinPad } from '../devices/virtual-pin-pad-guard.ts';
import type { Journal } from '../journal/journal.ts';
import type { Session } from '../operators/session.ts';
import { ShiftService } from '../shift/shift-service.ts';
import { shiftView } from '../shift/shift-report.ts';

export interface CheckoutServicesOptions {
  readonly config: StationConfig;
  readonly journal: Journal;
  readonly devices: StationDevices;
  readonly acquirer: AcquirerServices;
  readonly session: Session;
  /** The station's catalog now (a price list applied between two sales prices the next one): the items on sale, by SKU. */
  readonly catalog: { sellable(sku: string): Product | undefined };
  readonly now: () => Date;
  readonly log: (line: string) => void;
  readonly onProgress: (progress: PaymentProgress) => void;
  /** The wallet platform: QR tenders, their refunds and voids. Without one the station takes no QR tender. */
  readonly wallet?: WalletLink;
  /** Tests shorten the waits before retrying an unknown wallet answer. */
  readonly walletRetryDelaysMs?: readonly number[];
}

export interface CheckoutServices {
  readonly config: StationConfig;
  readonly journal: Journal;
  readonly devices: StationDevices;
  readonly acquirer: AcquirerServices;
  readonly session: Session;
  readonly registry: FlowRegistry;
  readonly cardPresentment: CardPresentment;
  /** An inserted card's applications, chosen by the cashier for the customer. */
  readonly applicationChoice: CashierApplicationChoice;
  readonly undoRegistry: TenderUndoRegistry;
  readonly sales: SaleService;
  readonly tenders: TenderService;
  readonly undo: SaleUndoService;
  readonly shifts: ShiftService;
  readonly receipts: Receipts;
  readonly settlement: SettlementService;
  /** Who holds the till now (a payment, a void, a settlement), for what must wait until it is free. */
  readonly tillLock: TillLock;
  readonly wallet?: WalletLink;
  readonly qrRefunds?: QrRefunds;
  sessionState(): SessionState;
}

export function createCheckoutServices(options: CheckoutServicesOptions): CheckoutServices {
  const { config, journal, devices, acquirer, session, now, log } = options;
  const tillLock = new TillLock();
  const drawer = printerDrawer(devices, journal, now);
  const receipts = new Receipts(journal, devices, { locale: config.receipt.locale, merchantName: config.merchant.name, merchantId: config.merchant.id, terminalId: config.merchant.terminalId });

  const cardPresentment = new CardPresentment();
  cardPresentment.addSource(magstripeSource(cardReaderPort(devices.cardReads)));
  cardPresentment.addSource(chipSource(chipReaderPort(devices.chipReader, devices.chipSlots)));
  const registry = new FlowRegistry();
  registry.setPresentment('card', cardPresentment.next);
  const exchange = { terminalId: config.merchant.terminalId, merchantId: config.merchant.id, journal, acquirer: acquirer.port, reversals: acquirer.reversals, log };
  const pinPad = pinPadPort(devices.pinPad, devices.pinDigits);
  const chipFailures = new ChipFailures();
  registry.register(
    magstripeFlow(
      { acceptedSchemes: config.acceptedSchemes, pinEntryTimeoutSeconds: config.pinEntryTimeoutSeconds, pinAttempts: STATION_PIN_ATTEMPTS, now, fallback: { chipFailuresBeforeFallback: config.chip.chipFailuresBeforeFallback } },
      { pinPad: refuseRealCardsOnVirtualPinPad(pinPad, devices), exchange, chipFailures },
    ),
  );
  const emvSettings = { terminal: terminalConfigFor(config.chip, config.currency), caKeys: testCaPublicKeys(), acceptedSchemes: config.acceptedSchemes, pinEntryTimeoutSeconds: config.pinEntryTimeoutSeconds, now };
  const applicationChoice = new CashierApplicationChoice();
  const emvPorts = { pinPad: refuseRealCardsOnVirtualPinPad(pinPad, devices, 'chipReader'), exchange, chipFailures, choose: applicationChoice };
  registry.register(chipFlow(emvSettings, emvPorts));
  registry.register(contactlessFlow(emvSettings, emvPorts));
  registry.register(cashFlow(drawer));
  const undoRegistry = new TenderUndoRegistry();
  undoRegistry.register('cash', cashUndo(drawer));
  undoRegistry.register('card', cardUndo(journal, acquirer.reversals));
  const { wallet } = options;
  const retry = options.walletRetryDelaysMs === undefined ? {} : { retryDelaysMs: options.walletRetryDelaysMs };
  const qrRefunds = wallet ? new QrRefunds({ journal, wallet, now, log, ...retry }) : undefined;
  if (wallet && qrRefunds) {
    registry.setPresentment('qr', scannedPaymentCode(devices.scans));
    registry.register(qrFlow({ config: config.wallet, journal, wallet, terminalId: config.merchant.terminalId, merchantNameZh: config.merchant.name['zh-CN'], log, ...retry }));
    undoRegistry.register('qr', qrUndo(qrRefunds));
  }

  const printPaid = async (saleId: string) => {
    const outcome = await receipts.printSale(saleId, { reprint: false });
    // The sale stands: the customer paid. The receipt issue tells the cashier to reprint.
    if (!outcome.printed) log(`receipt of sale ${saleId} not printed: ${outcome.issue}`);
  };
  const sales = new SaleService({ journal, session, stationId: config.merchant.terminalId, currency: config.currency, product: (sku) => options.catalog.sellable(sku), newId: createUuidV7Generator(), now });
  const tenders = new TenderService({ journal, registry, session, tillLock, now, onProgress: options.onProgress, onPaid: printPaid, log });
  const undo = new SaleUndoService({ journal, session, tillLock, undo: undoRegistry, tenders, drawer, deliver: () => acquirer.deliverQueued(), ...(qrRefunds ? { qrRefunds } : {}), now, log });
  const shifts = new ShiftService({ journal, session, currency: config.currency, drawer, printReport: (report) => receipts.printReport(report), now, log });
  const settlement = settlementServiceFor({ terminalId: config.merchant.terminalId, merchantId: config.merchant.id, currency: config.currency }, { journal, acquirer, tillLock, session, log });

  return {
    config,
    journal,
    devices,
    acquirer,
    session,
    registry,
    cardPresentment,
    applicationChoice,
    undoRegistry,
    sales,
    tenders,
    undo,
    shifts,
    receipts,
    settlement,
    tillLock,
    ...(wallet ? { wallet } : {}),
    ...(qrRefunds ? { qrRefunds } : {}),
    sessionState: () => {
      const shift = journal.shifts.current();
      return { ...(session.operator ? { operator: session.operator } : {}), ...(shift ? { shift: shiftView(shift) } : {}) };
    },
  };
}
