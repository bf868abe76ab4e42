// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import type { ReceiptModel, TextRun } from '../../common/receipt/model.ts';
import { fakeStation } from '../test-support/fake-station.ts';
import { createMemoryApi } from '../test-support/memory-api.ts';
import { mountApp } from '../test-support/mount-app.ts';
import CheckoutApp from './CheckoutApp.vue';
import { posApi } from './pos-api.ts';

function run(text: string, style: Partial<TextRun> = {}): TextRun {
  return { text, bold: false, underline: false, invert: false, width: 1, height: 1, ...style };
}

const receipt: ReceiptModel = {
  items: [
    { kind: 'line', align: 'center', runs: [run('星光便利店', { bold: true, width: 2, height: 2 })] },
    { kind: 'line', align: 'left', runs: [run('乌龙茶 x1'), run('      ¥3.50')] },
    { kind: 'line', align: 'right', runs: [run('合计 ¥6.49', { bold: true })] },
    { kind: 'qr', data: 'https://example.test/r/pay-1', align: 'center' },
    { kind: 'barcode', symbology: 'CODE128', data: '532500000007', align: 'center' },
    { kind: 'cut', partial: false },
  ],
  unknown: [{ offset: 12, bytes: '1b 7e' }],
};

afterEach(() => {
  document.body.innerHTML = '';
});

describe('receipt preview', () => {
  it('draws a printed receipt as paper', async () => {
    const fake = createMemoryApi(checkoutContract, fakeStation());
    const { wrapper } = mountApp(CheckoutApp, { key: posApi.key, api: fake.api });
    await flushPromises();
    expect(wrapper.find('[data-testid="receipt-preview"]').exists()).toBe(false);

    fake.emit('receiptPrinted', { document: { kind: 'sale', saleId: 'sale-1' }, receipt });
    await flushPromises();

    const paper = wrapper.get('[data-testid="receipt-preview"]');
    const lines = paper.findAll('[data-testid="receipt-line"]');
    expect(lines.map((line) => line.text())).toEqual(['星光便利店', '乌龙茶 x1      ¥3.50', '合计 ¥6.49']);
    expect(lines[0]?.classes()).toContain('align-center');
    expect(lines[2]?.classes()).toContain('align-right');

    const title = lines[0]?.get('.run');
    expect(title?.classes()).toEqual(expect.arrayContaining(['run--bold', 'run--scaled']));
    expect(title?.attributes('data-width')).toBe('2');
    expect(title?.attributes('data-height')).toBe('2');
    expect(lines[1]?.find('.run--scaled').exists()).toBe(false);

    expect(paper.get('[data-testid="receipt-qr"]').text()).toContain('https://example.test/r/pay-1');
    // The real code, not a placeholder: a QR symbol of dark modules carrying the data.
    const code = paper.get('[data-testid="receipt-qr"] [data-testid="qr-code"]');
    expect(code.attributes('data-payload')).toBe('https://example.test/r/pay-1');
    expect(code.get('path').attributes('d')).toMatch(/^(M\d+ \d+h1v1h-1z)+$/);
    expect(paper.get('[data-testid="receipt-barcode"]').text()).toContain('532500000007');
    expect(paper.get('[data-testid="receipt-cut"]').text()).toContain('切纸');
    expect(paper.get('[data-testid="receipt-unknown"]').text()).toContain('1');

    await wrapper.get('[data-testid="close-receipt"]').trigger('click');
    expect(wrapper.find('[data-testid="receipt-preview"]').exists()).toBe(false);
  });
});
