// @vitest-environment happy-dom
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import { ok } from '../../common/ipc/result.ts';
import { money } from '../../common/money.ts';
import type { SaleSummary } from '../../common/sale/model.ts';
import { fakeStation } from '../test-support/fake-station.ts';
import { progress } from '../test-support/fixtures.ts';
import { createMemoryApi } from '../test-support/memory-api.ts';
import { mountApp } from '../test-support/mount-app.ts';
import type { AppLocale } from '../i18n/locales.ts';
import CheckoutApp from './CheckoutApp.vue';
import { posApi } from './pos-api.ts';

const declinedSale: SaleSummary = {
  id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  receiptNumber: '000007',
  status: 'tendering',
  openedAt: '2025-11-21T02:03:04.000Z',
  legacy: false,
  paid: money(0, 'CNY'),
  refunded: money(0, 'CNY'),
  total: money(649, 'CNY'),
  tenders: [{ id: 1, type: 'card', state: 'declined', amount: money(649, 'CNY'), card: { maskedPan: '621234******1232', scheme: 'unionpay', responseCode: '51' } }],
};

async function startPayment(locale: AppLocale = 'zh-CN') {
  let sales: SaleSummary[] = [];
  const fake = createMemoryApi(checkoutContract, { ...fakeStation(), listSales: () => ok({ sales }) });
  const { wrapper } = mountApp(CheckoutApp, { key: posApi.key, api: fake.api }, { locale });
  await flushPromises();
  await wrapper.get('[data-testid="product-TEA-001"]').trigger('click');
  await flushPromises();
  await wrapper.get('[data-testid="product-BUN-002"]').trigger('click');
  await flushPromises();
  await wrapper.get('[data-testid="pay-by-card"]').trigger('click');
  await flushPromises();
  const setSales = (next: SaleSummary[]) => {
    sales = next;
  };
  return { wrapper, fake, setSales };
}

function stepOf(wrapper: VueWrapper): string | undefined {
  return wrapper.get('[data-testid="payment-step"]').attributes('data-step');
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('payment overlay', () => {
  it('follows the progress events step by step', async () => {
    const { wrapper, fake } = await startPayment();
    const card = { maskedPan: '621234******1232', scheme: 'unionpay' as const };

    fake.emit('paymentProgress', progress('present_card'));
    await flushPromises();
    expect(stepOf(wrapper)).toBe('present_card');
    expect(wrapper.get('[data-testid="payment-step"]').text()).toBe('请顾客插卡、挥卡或刷卡');

    fake.emit('paymentProgress', progress('reading'));
    await flushPromises();
    expect(stepOf(wrapper)).toBe('reading');

    fake.emit('paymentProgress', progress('enter_pin', { card, pinDigits: 0 }));
    await flushPromises();
    expect(stepOf(wrapper)).toBe('enter_pin');
    expect(wrapper.get('[data-testid="payment-card"]').text()).toContain('621234******1232');
    expect(wrapper.get('[data-testid="payment-card"]').text()).toContain('银联');

    fake.emit('paymentProgress', progress('enter_pin', { card, pinDigits: 4 }));
    await flushPromises();
    expect(wrapper.get('[data-testid="pin-dots"]').attributes('data-count')).toBe('4');
    expect(wrapper.findAll('.payment__pin-dot')).toHaveLength(4);

    fake.emit('paymentProgress', progress('authorizing', { card }));
    await flushPromises();
    expect(stepOf(wrapper)).toBe('authorizing');
    expect(wrapper.find('[data-testid="pin-dots"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="payment-result"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="cancel-payment"]').exists()).toBe(true);

    fake.emit('paymentProgress', progress('approved', { card, outcome: { responseCode: '00', approvalCode: 'A1B2C3', rrn: '532500000007' } }));
    await flushPromises();
    expect(stepOf(wrapper)).toBe('approved');
    const result = wrapper.get('[data-testid="payment-result"]');
    expect(result.text()).toContain('00');
    expect(result.text()).toContain('交易成功');
    expect(wrapper.get('[data-testid="approval-code"]').text()).toBe('A1B2C3');
    expect(wrapper.get('[data-testid="rrn"]').text()).toBe('532500000007');
    expect(wrapper.find('[data-testid="cancel-payment"]').exists()).toBe(false);

    const indicator = wrapper.findAll('[data-testid="step-indicator"] li').map((item) => item.attributes('data-state'));
    expect(indicator).toEqual(['done', 'done', 'done', 'done', 'final-approved']);
  });

  it('shows a decline with its response code and meaning: 51', async () => {
    const { wrapper, fake } = await startPayment();
    fake.emit('paymentProgress', progress('declined', { outcome: { responseCode: '51' } }));
    await flushPromises();
    const result = wrapper.get('[data-testid="payment-result"]');
    expect(result.text()).toContain('51');
    expect(result.text()).toContain('余额不足');
    expect(wrapper.find('[data-testid="approval-code"]').exists()).toBe(false);
  });

  it('shows a decline with its response code and meaning: 55, in English too', async () => {
    const { wrapper, fake } = await startPayment('en');
    fake.emit('paymentProgress', progress('declined', { outcome: { responseCode: '55' } }));
    await flushPromises();
    const result = wrapper.get('[data-testid="payment-result"]');
    expect(result.text()).toContain('55');
    expect(result.text()).toContain('Incorrect PIN');

    await wrapper.get('[data-testid="locale-toggle"]').trigger('click');
    expect(wrapper.get('[data-testid="payment-result"]').text()).toContain('密码错误');
  });

  it('names an unexpected response code as unknown but still shows it', async () => {
    const { wrapper, fake } = await startPayment();
    fake.emit('paymentProgress', progress('declined', { outcome: { responseCode: 'Q7' } }));
    await flushPromises();
    expect(wrapper.get('[data-testid="payment-result"]').text()).toContain('Q7');
    expect(wrapper.get('[data-testid="payment-result"]').text()).toContain('未知应答码');
  });

  it('explains a failure that never reached the bank', async () => {
    const { wrapper, fake } = await startPayment();
    fake.emit('paymentProgress', progress('reading'));
    fake.emit('paymentProgress', progress('failed', { failure: 'bad_read' }));
    await flushPromises();
    expect(wrapper.get('[data-testid="payment-result"]').text()).toContain('读卡失败');
    const indicator = wrapper.findAll('[data-testid="step-indicator"] li').map((item) => item.attributes('data-state'));
    expect(indicator).toEqual(['pending', 'done', 'pending', 'pending', 'final-failed']);
  });

  it('steps back to present_card after a bad read, un-ticking the read', async () => {
    const { wrapper, fake } = await startPayment();
    fake.emit('paymentProgress', progress('present_card'));
    fake.emit('paymentProgress', progress('reading'));
    fake.emit('paymentProgress', progress('present_card'));
    await flushPromises();
    expect(stepOf(wrapper)).toBe('present_card');
    const indicator = wrapper.findAll('[data-testid="step-indicator"] li').map((item) => item.attributes('data-state'));
    expect(indicator).toEqual(['current', 'pending', 'pending', 'pending', 'pending']);
  });

  it('cancels through the station, which answers with the final step', async () => {
    const { wrapper, fake } = await startPayment();
    fake.emit('paymentProgress', progress('present_card'));
    await flushPromises();
    await wrapper.get('[data-testid="cancel-payment"]').trigger('click');
    await flushPromises();
    expect(fake.callsTo('cancelPayment')).toEqual([{ paymentId: 'pay-1' }]);

    fake.emit('paymentProgress', progress('cancelled', { failure: 'cancelled_by_cashier' }));
    await flushPromises();
    expect(stepOf(wrapper)).toBe('cancelled');
    expect(wrapper.get('[data-testid="payment-result"]').text()).toContain('收银员已取消交易');
  });

  it('clears the sale once the station reports it paid', async () => {
    const { wrapper, fake } = await startPayment();
    fake.emit('paymentProgress', progress('approved', { outcome: { responseCode: '00' } }));
    fake.emit('currentSale', {});
    await flushPromises();
    await wrapper.get('[data-testid="new-sale"]').trigger('click');
    expect(wrapper.find('[data-testid="payment-panel"]').exists()).toBe(false);
    expect(wrapper.findAll('[data-testid^="cart-line-"]')).toHaveLength(0);
  });

  it('shows a cash tender\'s change, and no card steps', async () => {
    const { wrapper, fake } = await startPayment('en');
    fake.emit('paymentProgress', progress('approved', { tenderType: 'cash', entryMode: 'cash', cash: { received: money(1000, 'CNY'), change: money(351, 'CNY') } }));
    await flushPromises();
    expect(wrapper.get('[data-testid="payment-step"]').text()).toBe('Cash taken: give the change');
    expect(wrapper.get('[data-testid="payment-change"]').attributes('data-amount-minor')).toBe('351');
    expect(wrapper.find('[data-testid="step-indicator"]').exists()).toBe(false);
  });

  it('keeps the cart after a decline so the customer can pay another way', async () => {
    const { wrapper, fake } = await startPayment();
    fake.emit('paymentProgress', progress('declined', { outcome: { responseCode: '05' } }));
    await flushPromises();
    await wrapper.get('[data-testid="new-sale"]').trigger('click');
    expect(wrapper.find('[data-testid="payment-panel"]').exists()).toBe(false);
    expect(wrapper.findAll('[data-testid^="cart-line-"]')).toHaveLength(2);
  });

  it('ignores progress of another payment while one is shown', async () => {
    const { wrapper, fake } = await startPayment();
    fake.emit('paymentProgress', progress('reading', { paymentId: 'someone-else' }));
    await flushPromises();
    expect(stepOf(wrapper)).toBe('present_card');
  });

  it('refreshes the recent sales once the payment ends', async () => {
    const { wrapper, fake, setSales } = await startPayment();
    expect(fake.callsTo('listSales')).toEqual([{ limit: 8 }]);
    expect(wrapper.get('[data-testid="recent-transactions"]').text()).toContain('暂无销售');

    setSales([declinedSale]);
    fake.emit('paymentProgress', progress('declined', { outcome: { responseCode: '51' } }));
    await flushPromises();
    expect(fake.callsTo('listSales')).toHaveLength(2);
    const row = wrapper.get('[data-testid="recent-sale-000007"]');
    expect(row.text()).toContain('付款中');
    expect(row.text()).toContain('6.49');

    // A repeated final event is the same ending, not a second one.
    fake.emit('paymentProgress', progress('declined', { outcome: { responseCode: '51' } }));
    await flushPromises();
    expect(fake.callsTo('listSales')).toHaveLength(2);
  });
});
