/**
 * The checkout window follows the sales through the journal's committed domain events: the till's
 * current sale as it now stands (currentSale) and any sale that changed (saleChanged, for the
 * transactions view: a void the host confirmed later shows up by itself). One transaction's events
 * about one sale become one message. The customer display follows what this pushes
 * (main/display/customer-display.ts listens on the checkout's bus).
 */
import type { CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import { saleIdOf } from '../../common/sale/events.ts';
import type { EventBus } from '../ipc/event-bus.ts';
import type { Journal } from '../journal/journal.ts';

export function forwardSaleEvents(journal: Journal, events: EventBus<CheckoutContract>): () => void {
  const touched = new Set<string>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const ids = [...touched];
    touched.clear();
    for (const id of ids) {
      const summary = journal.sales.summary(id);
      if (summary) events.emit('saleChanged', summary);
    }
    const current = journal.sales.current()[0];
    events.emit('currentSale', current ? { sale: current } : {});
  };
  return journal.uow.subscribe((event) => {
    const saleId = saleIdOf(event);
    if (saleId === undefined) return;
    touched.add(saleId);
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
  });
}
