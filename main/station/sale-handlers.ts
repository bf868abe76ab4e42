/** The checkout contract's sale methods: the current sale, its tenders, and after-sale work on any sale. */
import type { CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import type { Handlers } from '../ipc/dispatcher.ts';
import { notFound, rejected } from '../sales/sale-error.ts';
import type { CheckoutServices } from './checkout-services.ts';

type SaleMethods =
  | 'getCurrentSale'
  | 'addItem'
  | 'setLineQuantity'
  | 'removeLine'
  | 'setLineDiscount'
  | 'setSaleDiscount'
  | 'overridePrice'
  | 'cancelSale'
  | 'startCardTender'
  | 'startCashTender'
  | 'startQrTender'
  | 'cancelPayment'
  | 'chooseApplication'
  | 'listSales'
  | 'getSale'
  | 'voidSale'
  | 'refundTender'
  | 'reprintReceipt';

export function saleHandlers(services: CheckoutServices): Pick<Handlers<CheckoutContract>, SaleMethods> {
  const { sales, tenders, undo, receipts, journal } = services;
  return {
    getCurrentSale: () => {
      const sale = sales.current();
      return sale ? { sale } : {};
    },
    addItem: ({ sku, quantity }) => sales.addItem(sku, quantity),
    setLineQuantity: ({ lineNo, quantity }) => sales.setQuantity(lineNo, quantity),
    removeLine: ({ lineNo }) => sales.removeLine(lineNo),
    setLineDiscount: ({ lineNo, discount }) => sales.setLineDiscount(lineNo, discount),
    setSaleDiscount: ({ discount }) => sales.setSaleDiscount(discount),
    overridePrice: ({ lineNo, unitPriceMinor, approval }) => sales.overridePrice(lineNo, unitPriceMinor, approval),
    cancelSale: () => undo.cancelCurrent(),
    startCardTender: ({ amountMinor }) => tenders.startCard(amountMinor),
    startCashTender: ({ amountMinor, receivedMinor }) => tenders.startCash(amountMinor, receivedMinor),
    startQrTender: ({ amountMinor, mode }) => {
      // Refused before any tender is added when no wallet platform can be reached (client() says why).
      if (!services.wallet) throw rejected('this station takes no QR payments');
      services.wallet.client();
      return tenders.startQr(amountMinor, mode);
    },
    cancelPayment: ({ paymentId }) => tenders.cancel(paymentId),
    chooseApplication: ({ paymentId, index }) => ({ chosen: tenders.isRunning(paymentId) && services.applicationChoice.pick(index) }),
    listSales: ({ before, limit }) => ({ sales: journal.sales.page(before, limit) }),
    getSale: ({ saleId }) => {
      const sale = journal.sales.load(saleId);
      if (!sale) throw notFound(`no sale ${saleId}`);
      return sale;
    },
    voidSale: ({ saleId, approval }) => undo.voidSale(saleId, approval),
    refundTender: ({ saleId, tenderId, amountMinor, approval }) => undo.refund(saleId, tenderId, amountMinor, approval),
    reprintReceipt: async ({ saleId }) => {
      services.session.requireOperator();
      const outcome = await receipts.printSale(saleId, { reprint: true });
      return outcome.printed ? { printed: true } : { printed: false, issue: outcome.issue };
    },
  };
}
