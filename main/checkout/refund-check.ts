/**
 * The station's own check of a refund before any card is swiped: the purchase must be in this
 * station's journal, approved and not reversed or voided, and the amount within what is left to
 * refund. The host checks the same again (13, 25); checking here first tells the cashier at once
 * and never sends a request the host must refuse.
 */
import { formatMinorPlain, money, type CurrencyCode, type Money } from '../../common/money.ts';
import { IpcRejection } from '../ipc/dispatcher.ts';
import { refundableOf, type Journal, type JournalRow } from '../journal/journal.ts';

export interface CheckedRefund {
  readonly original: JournalRow;
  readonly amount: Money;
}

export function checkRefund(journal: Journal, originalRrn: string, amountMinor: number, currency: CurrencyCode): CheckedRefund {
  const original = journal.purchaseByRrn(originalRrn);
  if (original === undefined) throw new IpcRejection('not_found', `no purchase with RRN ${originalRrn} in this station's journal`);
  const refundable = refundableOf(original);
  if (refundable === undefined) {
    const why = original.status === 'approved' ? 'it has been refunded in full' : `it is ${original.status.replace('_', ' ')}`;
    throw new IpcRejection('rejected', `purchase ${originalRrn} cannot be refunded: ${why}`);
  }
  if (refundable.currency !== currency) throw new IpcRejection('rejected', `purchase ${originalRrn} was in ${refundable.currency}, the station refunds in ${currency}`);
  if (amountMinor > refundable.amountMinor) {
    throw new IpcRejection('rejected', `at most ${formatMinorPlain(refundable)} ${currency} is left to refund on purchase ${originalRrn}`);
  }
  return { original, amount: money(amountMinor, currency) };
}
