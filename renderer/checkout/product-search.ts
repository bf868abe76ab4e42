/**
 * The item search: by name (zh-CN or English), pinyin initials, SKU or GTIN. Each product gets one
 * lower-case search key, built once per catalog load, so a keystroke is a scan of plain strings
 * (well under a millisecond for 5,000 items). Every word typed must appear somewhere in the key;
 * an exact SKU or GTIN comes first.
 */
import type { Product } from '../../common/catalog.ts';

const SEPARATOR = '\u0001';

export interface SearchIndex {
  readonly products: readonly Product[];
  readonly keys: readonly string[];
}

export function buildSearchIndex(products: readonly Product[]): SearchIndex {
  return {
    products,
    keys: products.map((product) => [product.sku, product.gtin ?? '', product.name['zh-CN'], product.name.en, product.initials ?? ''].join(SEPARATOR).toLowerCase()),
  };
}

export function normalizeQuery(query: string): string {
  return query.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The products matching `query` (normalized), in catalog order but an exact SKU or GTIN first. */
export function searchProducts(index: SearchIndex, query: string): Product[] {
  const words = query.split(' ').filter((word) => word !== '' && !word.includes(SEPARATOR));
  const matches: Product[] = [];
  let exact: Product | undefined;
  for (let at = 0; at < index.keys.length; at++) {
    const key = index.keys[at] as string;
    if (!words.every((word) => key.includes(word))) continue;
    const product = index.products[at] as Product;
    if (exact === undefined && (product.sku.toLowerCase() === query || product.gtin === query)) exact = product;
    else matches.push(product);
  }
  return exact ? [exact, ...matches] : matches;
}
