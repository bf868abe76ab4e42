// @vitest-environment happy-dom
/** The product grid at the checkout: the item search, its 5,000-item catalog drawn a window at a time, and barcode scans. */
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { BarcodeScan } from '../../common/barcode-scan.ts';
import type { Product } from '../../common/catalog.ts';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import { money } from '../../common/money.ts';
import { createMemoryApi, type Handlers } from '../test-support/memory-api.ts';
import { loadingCheckoutHandlers } from '../test-support/checkout-station.ts';
import { catalog, progress } from '../test-support/fixtures.ts';
import { mountApp } from '../test-support/mount-app.ts';
import CheckoutApp from './CheckoutApp.vue';
import { posApi } from './pos-api.ts';
import { useCartStore } from './stores/cart.ts';
import { gridWindow } from './virtual-grid.ts';

const withInitials: Product[] = catalog.map((product) => ({ ...product, initials: { 'TEA-001': 'wlc', 'BUN-002': 'rb', 'NOTE-003': 'bjb' }[product.sku] ?? '' }));
const scanned: Product = { sku: 'SCAN-1', gtin: '6900012345004', name: { 'zh-CN': '茉莉花茶', en: 'Jasmine tea' }, price: money(450, 'CNY'), vatRateBp: 1300, category: 'drinks', active: true };

function large(count: number): Product[] {
  return Array.from({ length: count }, (_, index) => ({
    sku: `SKU-${String(index + 1).padStart(5, '0')}`,
    name: { 'zh-CN': `商品${index + 1}`, en: `Item ${index + 1}` },
    price: money(100 + index, 'CNY'),
    vatRateBp: 1300,
    category: index % 2 === 0 ? 'food' : 'drinks',
    active: true,
  }));
}

async function mountCheckout(products: Product[] = withInitials, overrides: Handlers<typeof checkoutContract> = {}) {
  const fake = createMemoryApi(checkoutContract, { ...loadingCheckoutHandlers(products), ...overrides });
  const mounted = mountApp(CheckoutApp, { key: posApi.key, api: fake.api }, { locale: 'en' });
  await flushPromises();
  return { ...mounted, fake };
}

/** The sale's lines as SKU and quantity, once the station has answered. */
async function saleLines(): Promise<{ sku: string; quantity: number }[]> {
  await flushPromises();
  return useCartStore().pricedLines.map(({ sku, quantity }) => ({ sku, quantity }));
}

const tiles = (wrapper: Awaited<ReturnType<typeof mountCheckout>>['wrapper']) => wrapper.findAll('[data-testid^="product-"]').map((tile) => tile.attributes('data-testid')?.slice('product-'.length));

afterEach(() => {
  document.body.innerHTML = '';
});

describe('item search', () => {
  it('finds by English or Chinese name, pinyin initials, SKU and GTIN, across every category', async () => {
    const { wrapper } = await mountCheckout([...withInitials, scanned]);
    await wrapper.get('[data-testid="category-food"]').trigger('click');
    const search = wrapper.get('[data-testid="catalog-search"]');
    for (const [query, expected] of [
      ['oolong', ['TEA-001']],
      ['肉包', ['BUN-002']],
      ['BJB', ['NOTE-003']],
      ['note-003', ['NOTE-003']],
      ['6900012345004', ['SCAN-1']],
      ['  pork   BUN ', ['BUN-002']],
    ] as const) {
      await search.setValue(query);
      expect(tiles(wrapper), query).toEqual(expected);
    }
    expect(wrapper.get('[data-testid="category-all"]').attributes('aria-selected')).toBe('true');
    await search.setValue('nothing like this');
    expect(wrapper.get('[data-testid="catalog-no-match"]').text()).toBe('No product matches “nothing like this”');
  });

  it('puts an exact SKU first, and Enter adds the exact or only match, then clears the field', async () => {
    const { wrapper } = await mountCheckout([{ ...scanned, sku: 'TEA-0011', gtin: undefined, name: { 'zh-CN': '茶', en: 'Tea TEA-001 refill' } }, ...withInitials]);
    const search = wrapper.get('[data-testid="catalog-search"]');
    await search.setValue('tea-001');
    expect(tiles(wrapper)).toEqual(['TEA-001', 'TEA-0011']);
    await search.trigger('keydown', { key: 'Enter' });
    expect(await saleLines()).toEqual([{ sku: 'TEA-001', quantity: 1 }]);
    expect((search.element as HTMLInputElement).value).toBe('');
    await search.setValue('refill');
    await search.trigger('keydown', { key: 'Enter' });
    await search.setValue('o');
    await search.trigger('keydown', { key: 'Enter' }); // several matches, none exact: nothing added
    expect(await saleLines()).toEqual([
      { sku: 'TEA-001', quantity: 1 },
      { sku: 'TEA-0011', quantity: 1 },
    ]);
  });

  it('draws a 5,000-item catalog a window at a time, searches all of it, and badges quantities', async () => {
    const { wrapper } = await mountCheckout(large(5000));
    expect(wrapper.get('[data-testid="catalog-count"]').text()).toBe('Products shown: 5000');
    expect(tiles(wrapper).length).toBeLessThan(100);
    await wrapper.get('[data-testid="catalog-search"]').setValue('item 4999');
    expect(tiles(wrapper)).toEqual(['SKU-04999']);
    await wrapper.get('[data-testid="product-SKU-04999"]').trigger('click');
    await wrapper.get('[data-testid="product-SKU-04999"]').trigger('click');
    await flushPromises(); // the station answers each item rung up
    expect(wrapper.get('[data-testid="product-SKU-04999"] .product__badge').text()).toBe('2');
  });
});

describe('grid window', () => {
  const metrics = { tileMinWidth: 156, rowHeight: 92, gap: 10, paddingX: 16, paddingY: 4, overscanRows: 2, fallbackRows: 12 };

  it('covers the rows on screen and two either side, in a spacer as tall as every row', () => {
    // 900 px wide: 5 columns of ≥156 px; rows every 102 px.
    const window = gridWindow(metrics, 5000, { width: 900, height: 600, scrollTop: 102 * 100 + 4 });
    expect(window).toEqual({ columns: 5, first: 98 * 5, last: 108 * 5, offsetY: 4 + 98 * 102, totalHeight: 1000 * 102 - 10 + 8 });
  });

  it('ends at the last item, and draws the first rows before the scroller is measured', () => {
    expect(gridWindow(metrics, 7, { width: 900, height: 600, scrollTop: 0 })).toMatchObject({ first: 0, last: 7 });
    expect(gridWindow(metrics, 5000, { width: 0, height: 0, scrollTop: 0 })).toMatchObject({ columns: 1, first: 0, last: 12 });
  });
});

describe('barcode scans', () => {
  const scan = (outcome: BarcodeScan['outcome'], code = '6900012345004'): BarcodeScan => ({ code, symbology: ']E0', outcome });

  it('rings up the scanned item and says so; scanned again, one more', async () => {
    const { wrapper, fake } = await mountCheckout([...withInitials, scanned]);
    fake.emit('barcodeScanned', scan({ kind: 'item', sku: 'SCAN-1', name: scanned.name }));
    fake.emit('barcodeScanned', scan({ kind: 'item', sku: 'SCAN-1', name: scanned.name }));
    await flushPromises();
    expect(await saleLines()).toEqual([{ sku: 'SCAN-1', quantity: 2 }]);
    expect(wrapper.get('[data-testid="scan-message"]').attributes('data-result')).toBe('added');
    expect(wrapper.get('[data-testid="scan-message"]').text()).toContain('Scanned: Jasmine tea');
  });

  it('loads the catalog again for an item the page does not have yet (imported meanwhile)', async () => {
    let products = withInitials;
    const fake = createMemoryApi(checkoutContract, loadingCheckoutHandlers(() => products));
    mountApp(CheckoutApp, { key: posApi.key, api: fake.api }, { locale: 'en' });
    await flushPromises();
    products = [...withInitials, scanned];
    fake.emit('barcodeScanned', scan({ kind: 'item', sku: 'SCAN-1', name: scanned.name }));
    await flushPromises();
    expect(fake.callsTo('listCatalog')).toHaveLength(2);
    expect(await saleLines()).toEqual([{ sku: 'SCAN-1', quantity: 1 }]);
  });

  it('says what an unknown code, a retired item and a scale label are, and adds nothing', async () => {
    const { wrapper, fake } = await mountCheckout();
    const message = () => wrapper.get('[data-testid="scan-message"]');
    fake.emit('barcodeScanned', scan({ kind: 'unknown' }, '4006381333931'));
    await flushPromises();
    expect(message().attributes('data-result')).toBe('unknown');
    expect(message().text()).toContain('Unknown barcode 4006381333931: not in the catalog');
    fake.emit('barcodeScanned', scan({ kind: 'inactive', sku: 'OLD', name: { 'zh-CN': '旧货', en: 'Old stock' } }));
    await flushPromises();
    expect(message().text()).toContain('Old stock is no longer sold');
    fake.emit('barcodeScanned', scan({ kind: 'priced_item', sku: 'APL', name: { 'zh-CN': '苹果', en: 'Apples' }, price: money(1234, 'CNY') }, '2200001012345'));
    await flushPromises();
    expect(message().attributes('data-result')).toBe('priced');
    expect(await saleLines()).toEqual([]);
    await wrapper.get('[data-testid="scan-dismiss"]').trigger('click');
    expect(wrapper.find('[data-testid="scan-message"]').exists()).toBe(false);
  });

  it('adds nothing while a payment is open, and says why', async () => {
    const { wrapper, fake } = await mountCheckout([...withInitials, scanned]);
    fake.emit('paymentProgress', progress('present_card'));
    fake.emit('barcodeScanned', scan({ kind: 'item', sku: 'SCAN-1', name: scanned.name }));
    await flushPromises();
    expect(await saleLines()).toEqual([]);
    expect(wrapper.get('[data-testid="scan-message"]').attributes('data-result')).toBe('payment_open');
  });
});
