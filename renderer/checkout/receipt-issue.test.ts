// @vitest-environment happy-dom
/** What the cashier sees of the printer: its paper and cover in the status bar, and a receipt that did not print, with a reprint. */
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import { ok } from '../../common/ipc/result.ts';
import type { ReceiptModel } from '../../common/receipt/model.ts';
import type { AppLocale } from '../i18n/locales.ts';
import { fakeStation } from '../test-support/fake-station.ts';
import { createMemoryApi, type Handlers } from '../test-support/memory-api.ts';
import { mountApp } from '../test-support/mount-app.ts';
import CheckoutApp from './CheckoutApp.vue';
import { posApi } from './pos-api.ts';

const printedReceipt: ReceiptModel = { items: [{ kind: 'line', align: 'center', runs: [{ text: '*** REPRINT ***', bold: false, underline: false, invert: false, width: 1, height: 1 }] }], unknown: [] };

async function mountCheckout(reprint: Handlers<typeof checkoutContract>['reprintReceipt'], locale: AppLocale = 'en') {
  const fake = createMemoryApi(checkoutContract, { ...fakeStation(), reprintReceipt: reprint });
  const mounted = mountApp(CheckoutApp, { key: posApi.key, api: fake.api }, { locale });
  await flushPromises();
  return { ...mounted, fake };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('printer condition and receipt issues', () => {
  it('shows paper out and cover open on the printer in the status bar, and marks it as unable to print', async () => {
    const { wrapper, fake } = await mountCheckout(() => ok({ printed: true }));
    fake.emit('deviceStatus', { device: 'printer', state: 'ready', source: 'virtual', model: 'Virtual printer', alerts: ['paper_out', 'cover_open'] });
    await flushPromises();
    const printer = wrapper.get('[data-testid="device-status-printer"]');
    expect(printer.attributes('data-alerts')).toBe('paper_out cover_open');
    expect(printer.classes()).toContain('device--blocked');
    expect(printer.get('[data-testid="device-alert-paper_out"]').text()).toBe('Paper out');
    expect(printer.get('[data-testid="device-alert-cover_open"]').text()).toBe('Cover open');
  });

  it('tells the cashier a receipt may be incomplete and reprints it only when asked', async () => {
    const { wrapper, fake } = await mountCheckout(() => ok({ printed: true }));
    fake.emit('receiptIssue', { document: { kind: 'sale', saleId: 'sale-1' }, issue: 'may_be_incomplete' });
    await flushPromises();
    const issue = wrapper.get('[data-testid="receipt-issue"]');
    expect(issue.attributes('data-issue')).toBe('may_be_incomplete');
    expect(issue.text()).toContain('may be incomplete');
    expect(fake.callsTo('reprintReceipt')).toEqual([]);

    await wrapper.get('[data-testid="reprint-receipt"]').trigger('click');
    await flushPromises();
    expect(fake.callsTo('reprintReceipt')).toEqual([{ saleId: 'sale-1' }]);
    expect(wrapper.find('[data-testid="receipt-issue"]').exists()).toBe(false);
    fake.emit('receiptPrinted', { document: { kind: 'sale', saleId: 'sale-1' }, receipt: printedReceipt });
    await flushPromises();
    expect(wrapper.get('[data-testid="receipt-preview"]').text()).toContain('REPRINT');
  });

  it('keeps the issue, with the new reason, when the reprint is refused too', async () => {
    const { wrapper, fake } = await mountCheckout(() => ok({ printed: false, issue: 'paper_out' }), 'zh-CN');
    fake.emit('receiptIssue', { document: { kind: 'sale', saleId: 'sale-1' }, issue: 'printer_unavailable' });
    await flushPromises();
    await wrapper.get('[data-testid="reprint-receipt"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="receipt-issue"]').attributes('data-issue')).toBe('paper_out');
    expect(wrapper.get('[data-testid="receipt-issue"]').text()).toContain('打印机缺纸');
    await wrapper.get('[data-testid="dismiss-receipt-issue"]').trigger('click');
    expect(wrapper.find('[data-testid="receipt-issue"]').exists()).toBe(false);
  });
});
