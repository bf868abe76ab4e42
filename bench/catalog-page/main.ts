/**
 * The benchmark's page (npm run bench:catalog): the real checkout page (CheckoutApp, its stores and
 * components, built for production like the product) on an in-memory station API that answers the
 * catalog the benchmark hands it, with two probes the benchmark drives. Each sample starts at the
 * input event and gives two times:
 *   ready  after Vue's nextTick, with the new DOM's style and layout forced: the work the frame
 *          needs before it can paint (script, Vue's patch, style, layout);
 *   frame  at the first animation frame after nextTick: the same plus the wait for the display's
 *          next frame tick (60 Hz in headless Chromium, whatever the flags).
 */
import '../../renderer/shared/zod-jitless.ts';
import '../../renderer/shared/base.css';
import { createPinia } from 'pinia';
import { createApp, nextTick } from 'vue';
import type { Product } from '../../common/catalog.ts';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import CheckoutApp from '../../renderer/checkout/CheckoutApp.vue';
import { posApi } from '../../renderer/checkout/pos-api.ts';
import { useCartStore } from '../../renderer/checkout/stores/cart.ts';
import { createAppI18n } from '../../renderer/i18n/create-i18n.ts';
import { loadingCheckoutHandlers } from '../../renderer/test-support/checkout-station.ts';
import { createMemoryApi } from '../../renderer/test-support/memory-api.ts';

export interface CatalogBenchProbes {
  /** Types each query into the search field, one input event per sample. */
  typeSearch(queries: readonly string[]): Promise<Sample[]>;
  /** Taps `count` product tiles, cycling over the first `distinct` on screen. */
  addItems(count: number, distinct: number): Promise<Sample[]>;
  /** Empties the cart and the search field (not measured). */
  reset(): Promise<void>;
}

/** Milliseconds from the input event. */
export interface Sample {
  readonly ready: number;
  readonly frame: number;
}

declare global {
  interface Window {
    benchCatalog?: CatalogBenchProbes;
    benchReady?: Promise<number>;
  }
}

const FRAME_MS = 1000 / 60;

/** One sample: `act` dispatches the input event. */
async function sample(act: () => void): Promise<Sample> {
  // Keystrokes and taps land anywhere in a frame: start each sample at a random point of one.
  await new Promise((resolve) => setTimeout(resolve, Math.random() * FRAME_MS));
  const start = performance.now();
  act();
  await nextTick();
  void document.body.getBoundingClientRect(); // the new DOM's style and layout, now
  const ready = performance.now() - start;
  return new Promise((resolve) => requestAnimationFrame(() => resolve({ ready, frame: performance.now() - start })));
}

async function start(): Promise<number> {
  const products = (await (await fetch('./catalog.json')).json()) as Product[];
  const fake = createMemoryApi(checkoutContract, loadingCheckoutHandlers(products));
  const pinia = createPinia();
  createApp(CheckoutApp)
    .use(pinia)
    .use(createAppI18n({ storage: window.localStorage, document, window }))
    .provide(posApi.key, fake.api)
    .mount('#app');
  const cart = useCartStore(pinia);
  const search = () => document.querySelector<HTMLInputElement>('[data-testid="catalog-search"]') as HTMLInputElement;
  const tiles = () => [...document.querySelectorAll<HTMLButtonElement>('[data-testid="catalog-grid"] button')];
  window.benchCatalog = {
    async typeSearch(queries) {
      const samples: Sample[] = [];
      for (const query of queries) {
        samples.push(
          await sample(() => {
            const field = search();
            field.value = query;
            field.dispatchEvent(new Event('input', { bubbles: true }));
          }),
        );
      }
      return samples;
    },
    async addItems(count, distinct) {
      const samples: Sample[] = [];
      for (let index = 0; index < count; index++) {
        const tile = tiles()[index % distinct];
        if (!tile) throw new Error('no product tile on screen');
        samples.push(await sample(() => tile.dispatchEvent(new MouseEvent('click', { bubbles: true }))));
      }
      return samples;
    },
    async reset() {
      await fake.api.cancelSale({});
      cart.onCurrentSale({});
      const field = search();
      field.value = '';
      field.dispatchEvent(new Event('input', { bubbles: true }));
      await nextTick();
    },
  };
  // Ready once the catalog is on screen.
  for (;;) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    if (tiles().length > 0) return products.length;
  }
}

window.benchReady = start();
