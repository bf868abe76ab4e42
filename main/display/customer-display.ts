/**
 * The customer display's side of the station: it listens to what the checkout window is told (the
 * sale from the journal's committed events, the payment flow's progress, the session) and pushes
 * the display contract's one event, the screen to show. Nothing polls; nothing here can change the
 * sale. The bus replays the last screen to a display that connects or reloads.
 */
import type { CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import type { DisplayContract } from '../../common/ipc/display-contract.ts';
import type { LocalizedText } from '../../common/catalog.ts';
import type { CurrencyCode } from '../../common/money.ts';
import type { PaymentProgress } from '../../common/payment.ts';
import type { Sale, SaleSummary } from '../../common/sale/model.ts';
import type { SessionState } from '../../common/shift.ts';
import type { EventBus } from '../ipc/event-bus.ts';
import { customerView, initialDisplayState, reduceDisplay, type CustomerDisplayInput } from './customer-view-projection.ts';

export interface CustomerDisplayOptions {
  readonly merchantName: LocalizedText;
  readonly currency: CurrencyCode;
}

/** Feeds `display` from `checkout` until the returned function is called. */
export function connectCustomerDisplay(checkout: EventBus<CheckoutContract>, display: EventBus<DisplayContract>, options: CustomerDisplayOptions): () => void {
  let state = initialDisplayState(options.merchantName, options.currency);
  let shown = '';
  const show = () => {
    const view = customerView(state);
    const key = JSON.stringify(view);
    if (key === shown) return;
    shown = key;
    display.emit('view', view);
  };
  show();
  return checkout.connect((event, payload) => {
    const input = inputOf(event, payload);
    if (input === undefined) return;
    state = reduceDisplay(state, input);
    show();
  });
}

/** The checkout bus has already parsed each payload by its contract's schema. */
function inputOf(event: string, payload: unknown): CustomerDisplayInput | undefined {
  switch (event) {
    case 'currentSale':
      return { kind: 'currentSale', sale: (payload as { sale?: Sale }).sale };
    case 'saleChanged':
      return { kind: 'saleChanged', summary: payload as SaleSummary };
    case 'paymentProgress':
      return { kind: 'paymentProgress', progress: payload as PaymentProgress };
    case 'session':
      return (payload as SessionState).operator === undefined ? { kind: 'signedOut' } : undefined;
    default:
      return undefined;
  }
}
