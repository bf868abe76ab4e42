/**
 * The checkout contract's acquirer-side methods (link status, refund, balance inquiry, void,
 * batches and settlement) and the two events they push (linkStatus, transactionUpdated), wired to
 * the station's services. Kept apart from station.ts so the composition root stays a list.
 */
import type { CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import type { AcquirerServices } from '../acquirer/acquirer-services.ts';
import { settlementServiceFor } from '../batch/settlement-service.ts';
import { voidTransaction } from '../batch/void-service.ts';
import type { CheckoutService } from '../checkout/checkout-service.ts';
import type { TillLock } from '../checkout/till-lock.ts';
import type { StationConfig } from '../config/station-config.ts';
import type { Handlers } from '../ipc/dispatcher.ts';
import type { EventBus } from '../ipc/event-bus.ts';
import type { Journal } from '../journal/journal.ts';

type TransactionMethods = 'getLinkStatus' | 'startRefund' | 'startBalanceInquiry' | 'voidTransaction' | 'getOpenBatch' | 'settleBatch' | 'listBatches';

export interface TransactionWiring {
  readonly config: StationConfig;
  readonly journal: Journal;
  readonly acquirer: AcquirerServices;
  readonly checkout: CheckoutService;
  readonly tillLock: TillLock;
  readonly log: (line: string) => void;
}

export function transactionHandlers(wiring: TransactionWiring): Pick<Handlers<CheckoutContract>, TransactionMethods> {
  const { config, journal, acquirer, checkout, tillLock, log } = wiring;
  const settlement = settlementServiceFor({ terminalId: config.merchant.terminalId, merchantId: config.merchant.id, currency: config.currency }, { journal, acquirer, tillLock, log });
  return {
    getLinkStatus: () => acquirer.status(),
    startRefund: ({ originalRrn, amountMinor }) => checkout.startRefund(originalRrn, amountMinor),
    startBalanceInquiry: () => checkout.startBalanceInquiry(),
    voidTransaction: ({ transactionId }) => voidTransaction({ journal, reversals: acquirer.reversals, deliver: async () => void (await acquirer.deliverQueued()), tillLock }, transactionId),
    getOpenBatch: () => settlement.openBatchReport(),
    settleBatch: () => settlement.settle(),
    listBatches: ({ limit }) => journal.closedBatches(limit),
  };
}

/** Pushes link state changes and journal rows changed in the background to the checkout window. */
export function forwardAcquirerEvents(acquirer: AcquirerServices, journal: Journal, events: EventBus<CheckoutContract>): () => void {
  const stops = [
    acquirer.onStatus((status) => events.emit('linkStatus', status)),
    acquirer.onTransactionsUpdated((ids) => {
      for (const id of ids) {
        const entry = journal.entry(id);
        if (entry) events.emit('transactionUpdated', entry);
      }
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
