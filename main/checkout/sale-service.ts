/**
 * The till's current sale: opened by the first item rung up, changed line by line, each change one
 * unit of work with its domain events (the checkout window and, next, the customer display follow
 * them). The station prices everything from its own catalog: the UI sends SKUs, quantities and
 * discounts, never prices. A price override needs a supervisor, journaled with it.
 *
 * At most one sale is current (open or tendering); after a restart it is the same one, partly paid
 * or not (sale-recovery.ts).
 */
import type { Product } from '../../common/catalog.ts';
import { money, type CurrencyCode } from '../../common/money.ts';
import type { Discount, Sale } from '../../common/sale/model.ts';
import type { UuidV7Generator } from '../../common/uuid-v7.ts';
import type { Journal } from '../journal/journal.ts';
import type { Credentials, Session } from '../operators/session.ts';
import { addItem, openSale, overridePrice, removeLine, setLineDiscount, setQuantity, setSaleDiscount } from '../sales/sale.ts';
import { notFound, SaleError } from '../sales/sale-error.ts';

export interface SaleServiceDependencies {
  readonly journal: Journal;
  readonly session: Session;
  readonly stationId: string;
  readonly currency: CurrencyCode;
  readonly product: (sku: string) => Product | undefined;
  readonly newId: UuidV7Generator;
  readonly now: () => Date;
}

export class SaleService {
  readonly #deps: SaleServiceDependencies;

  constructor(deps: SaleServiceDependencies) {
    this.#deps = deps;
  }

  /** The sale open or being paid, if any. */
  current(): Sale | undefined {
    return this.#deps.journal.sales.current()[0];
  }

  addItem(sku: string, quantity: number): Sale {
    const product = this.#deps.product(sku);
    if (!product) throw notFound(`no product with SKU ${sku}`);
    return this.#change((sale, now) => addItem(sale, product, quantity, now), { open: true });
  }

  setQuantity(lineNo: number, quantity: number): Sale {
    return this.#change((sale, now) => setQuantity(sale, lineNo, quantity, now));
  }

  removeLine(lineNo: number): Sale {
    return this.#change((sale, now) => removeLine(sale, lineNo, now));
  }

  setLineDiscount(lineNo: number, discount: Discount | undefined): Sale {
    return this.#change((sale, now) => setLineDiscount(sale, lineNo, discount, now));
  }

  setSaleDiscount(discount: Discount | undefined): Sale {
    return this.#change((sale, now) => setSaleDiscount(sale, discount, now));
  }

  /** A supervisor's price for a line; the approval is journaled in the same unit as the change. */
  async overridePrice(lineNo: number, unitPriceMinor: number, approval: Credentials | undefined): Promise<Sale> {
    const supervisor = await this.#deps.session.approve(approval, 'a price override');
    const cashier = this.#deps.session.requireOperator();
    return this.#deps.journal.atomically(() => {
      const changed = this.#change((sale, now) => overridePrice(sale, lineNo, money(unitPriceMinor, this.#deps.currency), now));
      const line = changed.lines.find((candidate) => candidate.lineNo === lineNo);
      this.#deps.journal.shifts.recordApproval({
        action: 'price_override',
        subject: `${changed.id}/${lineNo}`,
        requestedBy: cashier.id,
        approvedBy: supervisor.id,
        detail: { sku: line?.sku, catalogUnitPriceMinor: line?.catalogUnitPrice?.amountMinor, unitPriceMinor },
      });
      return changed;
    });
  }

  #change(mutate: (sale: Sale, now: Date) => Sale, options: { open?: boolean } = {}): Sale {
    const { journal, session } = this.#deps;
    const cashier = session.requireOperator();
    const shift = journal.shifts.current();
    if (!shift) throw new SaleError('forbidden', 'open a shift first (the drawer float)');
    return journal.atomically(() => {
      const now = this.#deps.now();
      const before = this.current();
      if (!before && !options.open) throw notFound('there is no sale in progress');
      const base =
        before ??
        openSale({
          id: this.#deps.newId(now.getTime()),
          stationId: this.#deps.stationId,
          receiptNumber: String(journal.counters.next('receipt', 999_999)).padStart(6, '0'),
          currency: this.#deps.currency,
          cashierId: cashier.id,
          shiftId: shift.id,
          now,
        });
      const after = mutate(base, now);
      journal.sales.save(before, after);
      return after;
    });
  }
}
