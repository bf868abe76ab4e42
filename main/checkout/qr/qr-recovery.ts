/**
 * QR tenders after a crash (a kill -9 of the station at any point of a QR payment), so that the
 * sale and the wallet agree: paid once, or not paid, or refunded.
 *
 *  - A QR tender left in progress is settled from its legs first (before the card tenders' recovery
 *    ends every tender in progress): a leg the wallet paid (the notification or a query recorded
 *    it) approves the tender, because the customer paid; otherwise the tender fails.
 *  - Then, in the background, every payment leg still started, pending or reversing is reversed at
 *    the wallet (payments/wallet/wallet-recovery.ts): no sale was completed with it. The platform's
 *    reversal is idempotent and bars an order that never arrived, so a request the crash cut off
 *    can never be paid later. One the wallet does not confirm stays "reversing" for the next start.
 *  - Refunds written ahead and never answered are sent again under the same number (qr-refunds.ts).
 */
import type { Sale, TenderQr } from '../../../common/sale/model.ts';
import { recoverWalletPayments } from '../../../payments/wallet/wallet-recovery.ts';
import type { WalletConfig } from '../../config/wallet-config.ts';
import type { Journal } from '../../journal/journal.ts';
import { applySaleEvent, updateTender } from '../../sales/sale.ts';
import type { QrRefunds } from './qr-refunds.ts';
import type { WalletLink } from './wallet-link.ts';

/** Ends the QR tenders a crash left in progress, from what their legs say. Synchronous: run at start-up before anything else moves tenders. */
export function settleInterruptedQrTenders(journal: Journal, config: WalletConfig, now: () => Date, log: (line: string) => void): void {
  for (const sale of journal.sales.current()) {
    for (const tender of sale.tenders.filter((candidate) => candidate.type === 'qr' && candidate.state === 'in_progress')) {
      const paid = journal.qrLegs.ofTender(tender.id).find((leg) => leg.kind !== 'refund' && leg.state === 'paid');
      log(`sale ${sale.receiptNumber}: its QR tender ${tender.id} was interrupted; ${paid ? `the wallet paid order ${paid.number}: approved` : 'not paid: failed, any order of it is reversed'}`);
      journal.atomically(() => {
        const current = journal.sales.load(sale.id)!;
        let ended: Sale;
        if (paid) {
          const qr: TenderQr = {
            mode: paid.kind === 'micropay' ? 'customer_presented' : 'merchant_presented',
            wallet: config.brand,
            orderNo: paid.number,
            ...(paid.transactionId === undefined ? {} : { transactionId: paid.transactionId }),
            ...(paid.payerAccount === undefined ? {} : { maskedPayer: paid.payerAccount }),
          };
          ended = updateTender(current, tender.id, 'approve', now(), { qr });
        } else ended = updateTender(current, tender.id, 'fail', now());
        journal.sales.save(current, applySaleEvent(ended, 'tender_ended', now()));
      });
    }
  }
}

/** Reverses the unsettled payment legs and re-sends the unanswered refunds; resolves when done (the station does not wait for it). */
export async function settleWalletLegs(journal: Journal, wallet: WalletLink, refunds: QrRefunds, log: (line: string) => void): Promise<void> {
  if (journal.qrLegs.unfinished().length > 0) {
    let client;
    try {
      client = wallet.client();
    } catch (error) {
      log(`QR recovery: ${error instanceof Error ? error.message : String(error)}; unsettled wallet payments wait for the next start`);
      return;
    }
    const recovered = await recoverWalletPayments({ client, store: journal.qrLegs.paymentStore(), log });
    for (const payment of recovered) log(`QR recovery: order ${payment.outTradeNo} (was ${payment.stateBefore}): ${payment.outcome.kind}`);
  }
  await refunds.finishPending();
}
