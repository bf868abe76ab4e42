/**
 * What the customer is buying: SKUs and quantities only. Prices come from the catalog for display;
 * the station prices the sale itself when the payment starts.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Product } from '../../../common/ipc/checkout-contract.ts';
import { multiplyMoney, sumMoney, type Money } from '../../../common/money.ts';
import { useCatalogStore } from './catalog.ts';
import { useStationStore } from './station.ts';

/** The contract's per-line ceiling (startPayment rejects more). */
export const MAX_LINE_QUANTITY = 999;

export interface CartLine {
  readonly sku: string;
  readonly quantity: number;
}

export interface PricedCartLine extends CartLine {
  readonly product: Product;
  readonly lineTotal: Money;
}

export const useCartStore = defineStore('cart', () => {
  const catalog = useCatalogStore();
  const station = useStationStore();
  const lines = ref<CartLine[]>([]);

  const pricedLines = computed<PricedCartLine[]>(() =>
    lines.value.flatMap((line) => {
      const product = catalog.bySku.get(line.sku);
      return product ? [{ ...line, product, lineTotal: multiplyMoney(product.price, line.quantity) }] : [];
    }),
  );

  /** Integer minor units throughout; undefined until the currency is known. */
  const total = computed<Money | undefined>(() => {
    const currency = pricedLines.value[0]?.product.price.currency ?? station.info?.currency;
    return currency === undefined ? undefined : sumMoney(pricedLines.value.map((line) => line.lineTotal), currency);
  });

  const isEmpty = computed(() => pricedLines.value.length === 0);

  /** Quantity per SKU in one map, computed once per cart change: what the product grid's badges read. */
  const quantities = computed<ReadonlyMap<string, number>>(() => new Map(lines.value.map((line) => [line.sku, line.quantity])));

  /**
   * What startPayment receives: the lines the cashier can see, with nothing but SKU and quantity.
   * A function, not a getter, so the caller gets plain objects: the preload's contextBridge cannot
   * copy the reactive proxies a store getter hands out.
   */
  function orderLines(): CartLine[] {
    return pricedLines.value.map(({ sku, quantity }) => ({ sku, quantity }));
  }

  function setQuantity(sku: string, quantity: number): void {
    if (quantity <= 0) {
      lines.value = lines.value.filter((line) => line.sku !== sku);
      return;
    }
    const capped = Math.min(quantity, MAX_LINE_QUANTITY);
    lines.value = lines.value.some((line) => line.sku === sku)
      ? lines.value.map((line) => (line.sku === sku ? { sku, quantity: capped } : line))
      : [...lines.value, { sku, quantity: capped }];
  }

  function quantityOf(sku: string): number {
    return quantities.value.get(sku) ?? 0;
  }

  return {
    lines,
    pricedLines,
    total,
    orderLines,
    isEmpty,
    quantities,
    quantityOf,
    add: (sku: string) => setQuantity(sku, quantityOf(sku) + 1),
    decrement: (sku: string) => setQuantity(sku, Math.max(quantityOf(sku) - 1, 1)),
    remove: (sku: string) => setQuantity(sku, 0),
    clear: () => {
      lines.value = [];
    },
  };
});
