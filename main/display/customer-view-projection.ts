/**
 * Projects the customer display's screen (common/display/customer-view.ts) from what the checkout
 * window is told: the current sale (from the journal's committed sale events), each sale's summary
 * as it changes, and the payment flow's progress. A pure reducer, so the screens and their order are
 * unit-tested without a station.
 *
 * Screens: a sale on the till shows its lines and the tender in progress (a declined card stays
 * shown until the next tender starts); when the sale shown last is reported paid, the thank-you
 * screen shows its total and the change, and stays until the next sale opens; a sale given up, a
 * sign-out or a fresh start shows the idle screen.
 */
import type { CustomerSale, CustomerTender, CustomerView } from '../../common/display/customer-view.ts';
import type { LocalizedText } from '../../common/catalog.ts';
import type { CurrencyCode } from '../../common/money.ts';
import type { PaymentProgress } from '../../common/payment.ts';
import type { Sale, SaleSummary } from '../../common/sale/model.ts';

export interface CustomerDisplayState {
  readonly merchantName: LocalizedText;
  readonly currency: CurrencyCode;
  /** The sale on the till, as the station last reported it. */
  readonly sale?: Sale;
  /** The sale the display showed last, kept after it leaves the till so the thank-you screen can show it. */
  readonly lastSale?: Sale;
  readonly lastSaleStatus?: SaleSummary['status'];
  /** The newest progress of a sale's tender (a balance inquiry or a refund is not the customer display's business). */
  readonly progress?: PaymentProgress;
  /** Change handed back per cash tender of the last sale, by tender id. */
  readonly changeByTender: ReadonlyMap<number, number>;
}

export type CustomerDisplayInput =
  | { readonly kind: 'currentSale'; readonly sale: Sale | undefined }
  | { readonly kind: 'saleChanged'; readonly summary: SaleSummary }
  | { readonly kind: 'paymentProgress'; readonly progress: PaymentProgress }
  | { readonly kind: 'signedOut' };

export function initialDisplayState(merchantName: LocalizedText, currency: CurrencyCode): CustomerDisplayState {
  return { merchantName, currency, changeByTender: new Map() };
}

export function reduceDisplay(state: CustomerDisplayState, input: CustomerDisplayInput): CustomerDisplayState {
  switch (input.kind) {
    case 'currentSale': {
      const sale = input.sale;
      if (sale === undefined) return { ...state, sale: undefined };
      const sameSale = state.lastSale?.id === sale.id;
      return {
        ...state,
        sale,
        lastSale: sale,
        lastSaleStatus: sale.status,
        changeByTender: sameSale ? state.changeByTender : new Map(),
        progress: sameSale ? state.progress : undefined,
      };
    }
    case 'saleChanged':
      return input.summary.id === state.lastSale?.id ? { ...state, lastSaleStatus: input.summary.status } : state;
    case 'paymentProgress': {
      const progress = input.progress;
      if (progress.kind !== 'purchase' || progress.saleId === undefined) return state;
      const changeByTender = new Map(state.changeByTender);
      if (progress.step === 'approved' && progress.cash && progress.tenderId !== undefined) changeByTender.set(progress.tenderId, progress.cash.change.amountMinor);
      return { ...state, progress, changeByTender };
    }
    case 'signedOut':
      return initialDisplayState(state.merchantName, state.currency);
  }
}

export function customerView(state: CustomerDisplayState): CustomerView {
  const base = { merchantName: state.merchantName, currency: state.currency };
  if (state.sale !== undefined && (state.sale.lines.length > 0 || state.sale.tenders.length > 0)) {
    const progress = state.progress?.saleId === state.sale.id ? state.progress : undefined;
    return { ...base, screen: 'sale', sale: customerSale(state.sale), ...(progress ? { tender: customerTender(progress) } : {}) };
  }
  if (state.sale === undefined && state.lastSale !== undefined && state.lastSaleStatus === 'paid') {
    const change = [...state.changeByTender.values()].reduce((sum, amount) => sum + amount, 0);
    return { ...base, screen: 'thank_you', sale: paidSale(state.lastSale), ...(change > 0 ? { change: { amountMinor: change, currency: state.lastSale.currency } } : {}) };
  }
  return { ...base, screen: 'idle' };
}

function customerSale(sale: Sale): CustomerSale {
  return {
    receiptNumber: sale.receiptNumber,
    lines: sale.lines.map((line) => ({
      lineNo: line.lineNo,
      name: line.name,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discount: { amountMinor: line.lineDiscountAmount.amountMinor + line.saleDiscountShare.amountMinor, currency: line.amount.currency },
      amount: line.amount,
    })),
    totals: sale.totals,
    paid: sale.paid,
    due: sale.due,
  };
}

/** The sale as it was when its last tender was approved: all of it paid, nothing due. */
function paidSale(sale: Sale): CustomerSale {
  const shown = customerSale(sale);
  return { ...shown, paid: sale.totals.total, due: { amountMinor: 0, currency: sale.currency } };
}

function customerTender(progress: PaymentProgress): CustomerTender {
  return {
    type: progress.tenderType,
    step: progress.step,
    amount: progress.amount,
    ...(progress.step === 'enter_pin' && progress.pinDigits !== undefined ? { pinDigits: progress.pinDigits } : {}),
    ...(progress.cash ? { cash: progress.cash } : {}),
    // Only the code to scan: the customer sees no wallet ids or payer account on the display.
    ...(progress.qr?.payload ? { qr: { payload: progress.qr.payload } } : {}),
  };
}
