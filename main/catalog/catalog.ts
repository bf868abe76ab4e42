/**
 * One version of the station's catalog in memory, indexed for what the station asks of it: the
 * product for a SKU (pricing a sale), the item for a scanned code (GTIN as GTIN-14, a price-embedded
 * scale label by its template, or a SKU printed as a barcode), and the list the checkout shows.
 * Immutable: a new version is a new Catalog, swapped in whole.
 */
import type { ScanOutcome } from '../../common/barcode-scan.ts';
import type { Product } from '../../common/catalog.ts';
import { isValidGtin, parsePriceEmbedded, toGtin14 } from '../../common/gtin.ts';
import { money } from '../../common/money.ts';

export class Catalog {
  readonly #items: readonly Product[];
  readonly #bySku: ReadonlyMap<string, Product>;
  readonly #byGtin: ReadonlyMap<string, Product>;
  readonly #listed: readonly Product[];

  constructor(items: readonly Product[]) {
    this.#items = items;
    this.#bySku = new Map(items.map((item) => [item.sku, item]));
    this.#byGtin = new Map(items.flatMap((item) => (item.gtin === undefined ? [] : [[toGtin14(item.gtin), item] as const])));
    this.#listed = items.filter((item) => item.active);
  }

  get size(): number {
    return this.#items.length;
  }

  /** Every item, inactive ones included, in catalog order. */
  items(): readonly Product[] {
    return this.#items;
  }

  /** What the checkout can sell, in catalog order. */
  listed(): readonly Product[] {
    return this.#listed;
  }

  /** The product a sale line may name: active items only. */
  sellable(sku: string): Product | undefined {
    const item = this.#bySku.get(sku);
    return item?.active ? item : undefined;
  }

  /** What a scanned code rings up; the code as the scanner sent it, surrounding spaces and line ends aside. */
  resolveBarcode(code: string): ScanOutcome {
    const trimmed = code.trim();
    const gtinItem = isValidGtin(trimmed) ? this.#byGtin.get(toGtin14(trimmed)) : undefined;
    if (gtinItem) return outcome(gtinItem);
    const embedded = parsePriceEmbedded(trimmed);
    const template = embedded ? this.#byGtin.get(toGtin14(embedded.template)) : undefined;
    if (embedded && template) {
      return template.active
        ? { kind: 'priced_item', sku: template.sku, name: template.name, price: money(embedded.priceMinor, template.price.currency) }
        : { kind: 'inactive', sku: template.sku, name: template.name };
    }
    const skuItem = this.#bySku.get(trimmed);
    return skuItem ? outcome(skuItem) : { kind: 'unknown' };
  }
}

function outcome(item: Product): ScanOutcome {
  return { kind: item.active ? 'item' : 'inactive', sku: item.sku, name: item.name };
}
