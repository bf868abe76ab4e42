/**
 * The products the station sells, as the checkout shows them: filtered by a category tab, or found
 * by the search field (name, pinyin initials, SKU, GTIN; product-search.ts). Sized for 5,000 items:
 * the list is one shallow ref (the items themselves are never made reactive), the search keys are
 * built once per load, and a category or query change is one pass over plain strings.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Product } from '../../../common/ipc/checkout-contract.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { buildSearchIndex, normalizeQuery, searchProducts } from '../product-search.ts';
import { posApi } from '../pos-api.ts';

export const useCatalogStore = defineStore('catalog', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const products = shallowRef<readonly Product[]>([]);
  /** undefined shows every category. */
  const category = ref<string>();
  /** What the cashier typed in the search field, as typed. */
  const query = ref('');

  const categories = computed(() => [...new Set(products.value.map((product) => product.category))]);
  const searchIndex = computed(() => buildSearchIndex(products.value));
  const normalizedQuery = computed(() => normalizeQuery(query.value));
  const visibleProducts = computed<readonly Product[]>(() => {
    if (normalizedQuery.value !== '') return searchProducts(searchIndex.value, normalizedQuery.value);
    return category.value === undefined ? products.value : products.value.filter((product) => product.category === category.value);
  });
  const bySku = computed(() => new Map(products.value.map((product) => [product.sku, product])));

  async function load(): Promise<void> {
    const value = await notices.call('loadCatalog', api.listCatalog({}));
    if (!value) return;
    products.value = Object.freeze(value);
    if (category.value !== undefined && !categories.value.includes(category.value)) category.value = undefined;
  }

  /** A tab shows its category and ends a search. */
  function selectCategory(next: string | undefined): void {
    category.value = next;
    query.value = '';
  }

  /** A search looks in every category. */
  function search(next: string): void {
    query.value = next;
    if (next !== '') category.value = undefined;
  }

  return { products, category, query, categories, visibleProducts, bySku, load, selectCategory, search };
});
