/** Prices a cart from the station's own catalog: the UI sends SKUs and quantities, never amounts. */
import type { Product } from '../../common/ipc/checkout-contract.ts';
import { multiplyMoney, sumMoney, type CurrencyCode, type Money } from '../../common/money.ts';
import { IpcRejection } from '../ipc/dispatcher.ts';
import type { SaleLine } from './ports.ts';

/** The catalog as pricing sees it: the product a line may name (active items only), found by SKU. */
export interface CatalogLookup {
  sellable(sku: string): Product | undefined;
}

export function priceCart(catalog: CatalogLookup, lines: readonly { sku: string; quantity: number }[], currency: CurrencyCode): { lines: SaleLine[]; total: Money } {
  const priced = lines.map(({ sku, quantity }) => {
    const product = catalog.sellable(sku);
    if (!product) throw new IpcRejection('not_found', `no product with SKU ${sku} is for sale`);
    if (product.price.currency !== currency) throw new IpcRejection('rejected', `${sku} is priced in ${product.price.currency}, the station sells in ${currency}`);
    return { product, quantity, total: multiplyMoney(product.price, quantity) };
  });
  const total = sumMoney(
    priced.map((line) => line.total),
    currency,
  );
  if (total.amountMinor === 0) throw new IpcRejection('rejected', 'the cart total is zero');
  return { lines: priced, total };
}
