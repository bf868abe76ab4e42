// @vitest-environment happy-dom
/** The panel's virtual barcode scanner: catalog barcodes found by a query, an unknown code, any typed code. */
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../common/ipc/result.ts';
import { simulatorContract, type ScanCodes } from '../../common/ipc/simulator-contract.ts';
import { createMemoryApi } from '../test-support/memory-api.ts';
import { mountApp } from '../test-support/mount-app.ts';
import BarcodeScanner from './components/BarcodeScanner.vue';
import { simApi } from './sim-api.ts';

const TEA = { sku: 'TEA-001', gtin: '6900012345004', name: { 'zh-CN': '茉莉花茶', en: 'Jasmine tea' } };
const COFFEE = { sku: 'COF-001', gtin: '6900012345011', name: { 'zh-CN': '美式咖啡', en: 'Americano' } };

async function mountScanner(scanned = true) {
  const fake = createMemoryApi(simulatorContract, {
    listScanCodes: ({ query }): ReturnType<typeof ok<ScanCodes>> => ok({ items: [TEA, COFFEE].filter((item) => item.name.en.toLowerCase().includes(query.toLowerCase())), unknownCode: '6999999999994' }),
    scanBarcode: () => ok({ scanned }),
  });
  const mounted = mountApp(BarcodeScanner, { key: simApi.key, api: fake.api }, { locale: 'en' });
  await flushPromises();
  return { ...mounted, fake };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('simulated barcode scanner panel', () => {
  it("scans a catalog item's barcode, found by a query", async () => {
    const { wrapper, fake } = await mountScanner();
    expect(wrapper.findAll('[data-testid^="scan-item-"]')).toHaveLength(2);
    await wrapper.get('[data-testid="scan-search"]').setValue('jasmine');
    await flushPromises();
    expect(wrapper.findAll('[data-testid^="scan-item-"]').map((button) => button.attributes('aria-label'))).toEqual(['Scan the barcode of Jasmine tea']);
    await wrapper.get('[data-testid="scan-item-TEA-001"]').trigger('click');
    expect(fake.callsTo('scanBarcode')).toEqual([{ code: '6900012345004' }]);
  });

  it('scans an unknown code, and any code typed in', async () => {
    const { wrapper, fake } = await mountScanner();
    await wrapper.get('[data-testid="scan-unknown"]').trigger('click');
    await wrapper.get('[data-testid="scan-code-input"]').setValue(' 2200001012345 ');
    await wrapper.get('form').trigger('submit');
    expect(fake.callsTo('scanBarcode')).toEqual([{ code: '6999999999994' }, { code: '2200001012345' }]);
  });

  it('says so when the station does not use the virtual scanner', async () => {
    const { wrapper } = await mountScanner(false);
    await wrapper.get('[data-testid="scan-item-TEA-001"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="scan-ignored"]').text()).toContain('a USB scanner took its place');
  });
});
