/** The products the station sells, in catalog order, and the category filter over them. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Product } from '../../../common/ipc/checkout-contract.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';

export const useCatalogStore = defineStore('catalog', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const products = ref<Product[]>([]);
  /** undefined shows every category. */
  const category = ref<string>();

  const categories = computed(() => [...new Set(products.value.map((product) => product.category))]);
  const visibleProducts = computed(() =>
    category.value === undefined ? products.value : products.value.filter((product) => product.category === category.value),
  );
  const bySku = computed(() => new Map(products.value.map((product) => [product.sku, product])));

  async function load(): Promise<void> {
    const value = await notices.call('loadCatalog', api.listCatalog({}));
    if (!value) return;
    products.value = value;
    if (category.value !== undefined && !categories.value.includes(category.value)) category.value = undefined;
  }

  function selectCategory(next: string | undefined): void {
    category.value = next;
  }

  return { products, category, categories, visibleProducts, bySku, load, selectCategory };
});
