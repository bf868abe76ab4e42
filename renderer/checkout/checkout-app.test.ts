// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { isProxy } from 'vue';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import { fail, ok } from '../../common/ipc/result.ts';
import { formatMoney, money } from '../../common/money.ts';
import { createMemoryApi, type Handlers } from '../test-support/memory-api.ts';
import { catalog, devices, linkStatus, stationInfo } from '../test-support/fixtures.ts';
import { mountApp } from '../test-support/mount-app.ts';
import type { AppLocale } from '../i18n/locales.ts';
import CheckoutApp from './CheckoutApp.vue';
import { posApi } from './pos-api.ts';
import { useCartStore } from './stores/cart.ts';

type CheckoutHandlers = Handlers<typeof checkoutContract>;

const station: CheckoutHandlers = {
  getStationInfo: () => ok(stationInfo),
  listCatalog: () => ok(catalog),
  listDevices: () => ok(devices),
  listJournal: () => ok([]),
  getLinkStatus: () => ok(linkStatus),
  startPayment: () => ok({ paymentId: 'pay-1', amount: money(1000, 'CNY') }),
  cancelPayment: () => ok({ cancelled: true }),
};

async function mountCheckout(overrides: CheckoutHandlers = {}, locale: AppLocale = 'zh-CN') {
  const fake = createMemoryApi(checkoutContract, { ...station, ...overrides });
  const mounted = mountApp(CheckoutApp, { key: posApi.key, api: fake.api }, { locale });
  await flushPromises();
  return { ...mounted, fake };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('checkout page', () => {
  it('adds tapped products to the cart and totals them in integer minor units', async () => {
    const { wrapper } = await mountCheckout();
    await wrapper.get('[data-testid="product-TEA-001"]').trigger('click');
    await wrapper.get('[data-testid="product-TEA-001"]').trigger('click');
    await wrapper.get('[data-testid="product-BUN-002"]').trigger('click');

    const cart = useCartStore();
    expect(cart.total).toEqual({ amountMinor: 2 * 350 + 299, currency: 'CNY' });
    expect(Number.isInteger(cart.total?.amountMinor)).toBe(true);
    expect(wrapper.get('[data-testid="cart-total"]').text()).toBe(formatMoney(money(999, 'CNY'), 'zh-CN'));
    expect(wrapper.get('[data-testid="cart-quantity-TEA-001"]').text()).toBe('2');
  });

  it('changes quantities and removes lines', async () => {
    const { wrapper } = await mountCheckout();
    await wrapper.get('[data-testid="product-NOTE-003"]').trigger('click');
    await wrapper.get('[data-testid="cart-increase-NOTE-003"]').trigger('click');
    await wrapper.get('[data-testid="cart-increase-NOTE-003"]').trigger('click');
    await wrapper.get('[data-testid="cart-decrease-NOTE-003"]').trigger('click');
    expect(wrapper.get('[data-testid="cart-quantity-NOTE-003"]').text()).toBe('2');
    expect(wrapper.get('[data-testid="cart-total"]').text()).toBe(formatMoney(money(2500, 'CNY'), 'zh-CN'));

    await wrapper.get('[data-testid="cart-remove-NOTE-003"]').trigger('click');
    expect(wrapper.find('[data-testid="cart-line-NOTE-003"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="pay-by-card"]').attributes('disabled')).toBeDefined();
  });

  it('filters the product grid by category', async () => {
    const { wrapper } = await mountCheckout();
    expect(wrapper.get('[data-testid="category-food"]').text()).toBe('食品');
    expect(wrapper.get('[data-testid="category-stationery"]').text()).toBe('stationery');
    await wrapper.get('[data-testid="category-food"]').trigger('click');
    expect(wrapper.find('[data-testid="product-BUN-002"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="product-TEA-001"]').exists()).toBe(false);
    await wrapper.get('[data-testid="category-all"]').trigger('click');
    expect(wrapper.findAll('[data-testid^="product-"]')).toHaveLength(catalog.length);
  });

  it('pays by card with SKUs and quantities only, never an amount', async () => {
    const { wrapper, fake } = await mountCheckout();
    await wrapper.get('[data-testid="product-TEA-001"]').trigger('click');
    await wrapper.get('[data-testid="product-NOTE-003"]').trigger('click');
    await wrapper.get('[data-testid="cart-increase-NOTE-003"]').trigger('click');
    await wrapper.get('[data-testid="pay-by-card"]').trigger('click');
    await flushPromises();

    expect(fake.callsTo('startPayment')).toEqual([
      {
        lines: [
          { sku: 'TEA-001', quantity: 1 },
          { sku: 'NOTE-003', quantity: 2 },
        ],
      },
    ]);
    // Plain data, as Electron's contextBridge needs: no Vue proxies.
    const [input] = fake.callsTo('startPayment') as [{ lines: unknown[] }];
    expect(isProxy(input.lines) || input.lines.some(isProxy)).toBe(false);
    expect(wrapper.get('[data-testid="payment-step"]').attributes('data-step')).toBe('present_card');
    expect(wrapper.get('[data-testid="payment-amount"]').text()).toBe(formatMoney(money(1000, 'CNY'), 'zh-CN'));
  });

  it('shows a failed station call in a localized banner', async () => {
    const { wrapper } = await mountCheckout({ startPayment: () => fail('busy', 'a payment is already running') });
    await wrapper.get('[data-testid="product-TEA-001"]').trigger('click');
    await wrapper.get('[data-testid="pay-by-card"]').trigger('click');
    await flushPromises();

    const banner = wrapper.get('[data-testid="error-banner"]');
    expect(banner.text()).toContain('发起支付失败');
    expect(banner.text()).toContain('收银站正忙');
    expect(banner.text()).toContain('a payment is already running');
    expect(wrapper.find('[data-testid="payment-panel"]').exists()).toBe(false);

    await wrapper.get('[data-testid="dismiss-error"]').trigger('click');
    expect(wrapper.find('[data-testid="error-banner"]').exists()).toBe(false);
  });

  it('reports a transport that throws instead of answering', async () => {
    const { wrapper } = await mountCheckout({
      listCatalog: () => Promise.reject(new Error('ipc channel gone')),
    });
    expect(wrapper.get('[data-testid="error-banner"]').text()).toContain('ipc channel gone');
  });

  it('switches every text with the locale toggle and remembers the choice', async () => {
    const { wrapper, storage } = await mountCheckout();
    await wrapper.get('[data-testid="product-TEA-001"]').trigger('click');
    expect(wrapper.get('[data-testid="merchant-name"]').text()).toBe('星光便利店');
    expect(wrapper.get('[data-testid="product-TEA-001"]').text()).toContain('乌龙茶');
    expect(wrapper.get('[data-testid="pay-by-card"]').text()).toBe('刷卡支付');

    await wrapper.get('[data-testid="locale-toggle"]').trigger('click');

    expect(wrapper.get('[data-testid="merchant-name"]').text()).toBe('Starlight Mart');
    expect(wrapper.get('[data-testid="product-TEA-001"]').text()).toContain('Oolong tea');
    expect(wrapper.get('[data-testid="pay-by-card"]').text()).toBe('Pay by card');
    expect(wrapper.get('[data-testid="cart-total"]').text()).toBe(formatMoney(money(350, 'CNY'), 'en'));
    expect(wrapper.get('[data-testid="locale-toggle"]').text()).toBe('中文');
    expect(storage.getItem('pos.locale')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('opens in the stored locale', async () => {
    const { wrapper } = await mountCheckout({}, 'en');
    expect(wrapper.get('[data-testid="pay-by-card"]').text()).toBe('Pay by card');
  });

  it('shows the header, devices and acquirer from the station', async () => {
    const { wrapper, fake } = await mountCheckout();
    expect(wrapper.get('[data-testid="terminal-id"]').text()).toBe('T0000001');
    expect(wrapper.get('[data-testid="acquirer-host"]').text()).toContain('127.0.0.1:8583');

    const reader = wrapper.get('[data-testid="device-status-cardReader"]');
    expect(reader.attributes('data-state')).toBe('ready');
    expect(reader.text()).toContain('读卡器');
    expect(reader.text()).toContain('就绪');
    expect(reader.text()).toContain('USB');
    expect(wrapper.get('[data-testid="device-status-pinPad"]').text()).toContain('虚拟');

    fake.emit('deviceStatus', { device: 'printer', state: 'fault', source: 'virtual', model: 'Virtual printer', detail: 'Paper out' });
    await flushPromises();
    const printer = wrapper.get('[data-testid="device-status-printer"]');
    expect(printer.attributes('data-state')).toBe('fault');
    expect(printer.text()).toContain('故障');
    expect(printer.text()).toContain('Paper out');
  });

  it('stops listening to the station when unmounted', async () => {
    const { wrapper, fake } = await mountCheckout();
    expect(fake.listenerCount('paymentProgress')).toBe(1);
    wrapper.unmount();
    expect(fake.listenerCount('paymentProgress')).toBe(0);
    expect(fake.listenerCount('deviceStatus')).toBe(0);
    expect(fake.listenerCount('receiptPrinted')).toBe(0);
  });
});
