/** The checkout contract's acquirer-side methods: link status, balance inquiry, the card batch and its settlement. */
import type { CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import type { Handlers } from '../ipc/dispatcher.ts';
import type { CheckoutServices } from './checkout-services.ts';

type TransactionMethods = 'getLinkStatus' | 'startBalanceInquiry' | 'getOpenBatch' | 'settleBatch' | 'listBatches';

export function transactionHandlers(services: CheckoutServices): Pick<Handlers<CheckoutContract>, TransactionMethods> {
  const { acquirer, tenders, settlement, journal } = services;
  return {
    getLinkStatus: () => acquirer.status(),
    startBalanceInquiry: () => tenders.startBalanceInquiry(),
    getOpenBatch: () => settlement.openBatchReport(),
    settleBatch: ({ approval }) => settlement.settle(approval),
    listBatches: ({ limit }) => journal.batches.closed(limit),
  };
}
