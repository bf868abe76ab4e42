/**
 * The sale being rung up, as the station keeps it: the station opens it with the first item,
 * prices every line from its own catalog, applies discounts and VAT, and reports each change
 * (currentSale). The UI sends SKUs, quantities and discounts, never a price.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Result } from '../../../common/ipc/result.ts';
import type { Discount, Sale } from '../../../common/sale/model.ts';
import type { IpcAction } from '../../shared/ipc-actions.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';

/** The contract's per-line ceiling (addItem refuses more). */
export const MAX_LINE_QUANTITY = 999;

export const useCartStore = defineStore('cart', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const sale = ref<Sale>();

  const pricedLines = computed(() => sale.value?.lines ?? []);
  const total = computed(() => sale.value?.totals.total);
  const isEmpty = computed(() => pricedLines.value.length === 0);
  /** A tender holds money and something is still due: the sale must be finished or cancelled. */
  const partlyPaid = computed(() => sale.value?.status === 'tendering' && sale.value.paid.amountMinor > 0);
  /** Lines change only while nothing is paid. */
  const editable = computed(() => sale.value === undefined || sale.value.status === 'open' || (sale.value.status === 'tendering' && sale.value.paid.amountMinor === 0));

  /** Quantity per SKU in one map, computed once per change of the sale: what the product grid's badges read. */
  const quantities = computed<ReadonlyMap<string, number>>(() => {
    const map = new Map<string, number>();
    for (const line of pricedLines.value) map.set(line.sku, (map.get(line.sku) ?? 0) + line.quantity);
    return map;
  });

  async function load(): Promise<void> {
    const value = await notices.call('loadSale', api.getCurrentSale({}));
    if (value) sale.value = value.sale;
  }

  /** Listener for onCurrentSale. */
  function onCurrentSale(event: { sale?: Sale | undefined }): void {
    sale.value = event.sale;
  }

  async function change(action: IpcAction, call: Promise<Result<Sale>>): Promise<void> {
    const value = await notices.call(action, call);
    if (value) sale.value = value;
  }

  const lineOf = (sku: string) => pricedLines.value.find((line) => line.sku === sku && line.catalogUnitPrice === undefined && line.lineDiscount === undefined);

  function quantityOf(sku: string): number {
    return quantities.value.get(sku) ?? 0;
  }

  return {
    sale,
    pricedLines,
    total,
    isEmpty,
    quantities,
    partlyPaid,
    editable,
    load,
    onCurrentSale,
    quantityOf,
    add: (sku: string) => change('addItem', api.addItem({ sku, quantity: 1 })),
    setQuantity: (lineNo: number, quantity: number) =>
      quantity <= 0 ? change('removeLine', api.removeLine({ lineNo })) : change('setLineQuantity', api.setLineQuantity({ lineNo, quantity: Math.min(quantity, MAX_LINE_QUANTITY) })),
    removeLine: (lineNo: number) => change('removeLine', api.removeLine({ lineNo })),
    /** One less of an item rung up by SKU (the product grid's gesture). */
    decrement: (sku: string) => {
      const line = lineOf(sku);
      return line ? change('setLineQuantity', api.setLineQuantity({ lineNo: line.lineNo, quantity: Math.max(line.quantity - 1, 1) })) : Promise.resolve();
    },
    remove: (sku: string) => {
      const line = lineOf(sku);
      return line ? change('removeLine', api.removeLine({ lineNo: line.lineNo })) : Promise.resolve();
    },
    setLineDiscount: (lineNo: number, discount: Discount | undefined) => change('setDiscount', api.setLineDiscount({ lineNo, ...(discount ? { discount } : {}) })),
    setSaleDiscount: (discount: Discount | undefined) => change('setDiscount', api.setSaleDiscount(discount ? { discount } : {})),
  };
});
