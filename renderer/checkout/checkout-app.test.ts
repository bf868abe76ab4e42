// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { isProxy } from 'vue';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import { fail, ok } from '../../common/ipc/result.ts';
import { formatMoney, money } from '../../common/money.ts';
import type { AppLocale } from '../i18n/locales.ts';
import { fakeStation, SIGNED_IN } from '../test-support/fake-station.ts';
import { catalog, devices } from '../test-support/fixtures.ts';
import { createMemoryApi, type Handlers } from '../test-support/memory-api.ts';
import { mountApp } from '../test-support/mount-app.ts';
import CheckoutApp from './CheckoutApp.vue';
import { posApi } from './pos-api.ts';
import { useCartStore } from './stores/cart.ts';

type CheckoutHandlers = Handlers<typeof checkoutContract>;

async function mountCheckout(overrides: CheckoutHandlers = {}, locale: AppLocale = 'zh-CN') {
  const fake = createMemoryApi(checkoutContract, { ...fakeStation(), ...overrides });
  const mounted = mountApp(CheckoutApp, { key: posApi.key, api: fake.api }, { locale });
  await flushPromises();
  return { ...mounted, fake };
}

async function tap(wrapper: Awaited<ReturnType<typeof mountCheckout>>['wrapper'], testid: string): Promise<void> {
  await wrapper.get(`[data-testid="${testid}"]`).trigger('click');
  await flushPromises();
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('checkout page', () => {
  it('asks a cashier to sign in first, and then for the float when no shift is open', async () => {
    const { wrapper, fake } = await mountCheckout({ getSession: () => ok({}) });
    expect(wrapper.find('[data-testid="sign-in"]').exists()).toBe(true);
    await wrapper.get('[data-testid="sign-in-operator"]').setValue('1001');
    await wrapper.get('[data-testid="sign-in-pin"]').setValue('2580');
    expect(wrapper.get('[data-testid="sign-in-submit"]').attributes('disabled')).toBeUndefined();
    fake.emit('session', { operator: SIGNED_IN.operator! });
    await flushPromises();
    expect(wrapper.find('[data-testid="sign-in"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="open-shift"]').exists()).toBe(true);
    fake.emit('session', SIGNED_IN);
    await flushPromises();
    expect(wrapper.find('[data-testid="open-shift"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="operator"]').text()).toContain('Li Na');
  });

  it('sends the cashier\'s id and PIN to sign in, and the float in fen to open the shift', async () => {
    const { wrapper, fake } = await mountCheckout({ getSession: () => ok({ operator: SIGNED_IN.operator! }), openShift: () => ok(SIGNED_IN.shift!) });
    await wrapper.get('[data-testid="shift-float"]').setValue('200.5');
    await tap(wrapper, 'open-shift-submit');
    expect(fake.callsTo('openShift')).toEqual([{ floatMinor: 20_050 }]);
    expect(wrapper.find('[data-testid="open-shift"]').exists()).toBe(false);
  });

  it('rings up tapped products on the station, which prices them; totals and VAT come from the sale', async () => {
    const { wrapper, fake } = await mountCheckout();
    await tap(wrapper, 'product-TEA-001');
    await tap(wrapper, 'product-TEA-001');
    await tap(wrapper, 'product-BUN-002');
    expect(fake.callsTo('addItem')).toEqual([
      { sku: 'TEA-001', quantity: 1 },
      { sku: 'TEA-001', quantity: 1 },
      { sku: 'BUN-002', quantity: 1 },
    ]);
    const cart = useCartStore();
    expect(cart.total).toEqual({ amountMinor: 2 * 350 + 299, currency: 'CNY' });
    expect(wrapper.get('[data-testid="cart-total"]').text()).toBe(formatMoney(money(999, 'CNY'), 'zh-CN'));
    expect(wrapper.get('[data-testid="cart-quantity-TEA-001"]').text()).toBe('2');
    // 7.00 at 13 % holds 0.81 VAT; 2.99 at 9 % holds 0.25.
    expect(wrapper.get('[data-testid="cart-vat-1300"]').text()).toBe(formatMoney(money(81, 'CNY'), 'zh-CN'));
    expect(wrapper.get('[data-testid="cart-vat-900"]').text()).toBe(formatMoney(money(25, 'CNY'), 'zh-CN'));
  });

  it('changes quantities and removes lines by line number', async () => {
    const { wrapper, fake } = await mountCheckout();
    await tap(wrapper, 'product-NOTE-003');
    await tap(wrapper, 'cart-increase-NOTE-003');
    await tap(wrapper, 'cart-increase-NOTE-003');
    await tap(wrapper, 'cart-decrease-NOTE-003');
    expect(fake.callsTo('setLineQuantity')).toEqual([
      { lineNo: 1, quantity: 2 },
      { lineNo: 1, quantity: 3 },
      { lineNo: 1, quantity: 2 },
    ]);
    expect(wrapper.get('[data-testid="cart-total"]').text()).toBe(formatMoney(money(2500, 'CNY'), 'zh-CN'));
    await tap(wrapper, 'cart-remove-NOTE-003');
    expect(wrapper.find('[data-testid="cart-line-NOTE-003"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="pay-by-card"]').attributes('disabled')).toBeDefined();
  });

  it('filters the product grid by category', async () => {
    const { wrapper } = await mountCheckout();
    expect(wrapper.get('[data-testid="category-food"]').text()).toBe('食品');
    expect(wrapper.get('[data-testid="category-stationery"]').text()).toBe('stationery');
    await tap(wrapper, 'category-food');
    expect(wrapper.find('[data-testid="product-BUN-002"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="product-TEA-001"]').exists()).toBe(false);
    await tap(wrapper, 'category-all');
    expect(wrapper.findAll('[data-testid^="product-"]')).toHaveLength(catalog.length);
  });

  it('pays what is due by card, never sending an amount it did not type', async () => {
    const { wrapper, fake } = await mountCheckout();
    await tap(wrapper, 'product-TEA-001');
    await tap(wrapper, 'pay-by-card');
    expect(fake.callsTo('startCardTender')).toEqual([{}]);
    expect(wrapper.get('[data-testid="payment-step"]').attributes('data-step')).toBe('present_card');
  });

  it('takes cash: quick buttons for the exact amount and the next 10, 50, 100 yuan, the change shown, yuan sent as fen', async () => {
    const { wrapper, fake } = await mountCheckout({}, 'en');
    await tap(wrapper, 'product-NOTE-003'); // 12.50
    await tap(wrapper, 'pay-by-cash');
    expect(wrapper.findAll('[data-testid^="cash-quick-"]').map((button) => button.attributes('data-testid'))).toEqual(['cash-quick-1250', 'cash-quick-2000', 'cash-quick-5000', 'cash-quick-10000']);
    await tap(wrapper, 'cash-quick-2000');
    expect(wrapper.get('[data-testid="cash-change"]').attributes('data-amount-minor')).toBe('750');
    await wrapper.get('[data-testid="cash-received"]').setValue('12.3');
    expect(wrapper.get('[data-testid="cash-change"]').text()).toBe('Not enough');
    await wrapper.get('[data-testid="cash-received"]').setValue('100');
    await tap(wrapper, 'cash-take');
    expect(fake.callsTo('startCashTender')).toEqual([{ receivedMinor: 10_000 }]);
    // Plain data, as Electron's contextBridge needs: no Vue proxies.
    expect((fake.callsTo('startCashTender') as object[]).some(isProxy)).toBe(false);
  });

  it('splits a payment: the part typed in yuan goes to the card, the rest stays due', async () => {
    const { wrapper, fake } = await mountCheckout();
    await tap(wrapper, 'product-NOTE-003');
    await tap(wrapper, 'split-tender');
    await wrapper.get('[data-testid="split-amount"]').setValue('5');
    await tap(wrapper, 'pay-by-card');
    expect(fake.callsTo('startCardTender')).toEqual([{ amountMinor: 500 }]);
  });

  it('says a sale is partly paid, with what each tender holds and what is due', async () => {
    const { wrapper, fake } = await mountCheckout({}, 'en');
    const { saleOf } = await import('../test-support/fake-station.ts');
    const held = saleOf([['NOTE-003', 1]], {
      status: 'tendering',
      paid: money(500, 'CNY'),
      due: money(750, 'CNY'),
      tenders: [{ id: 1, type: 'card', entryMode: 'magstripe', state: 'approved', amount: money(500, 'CNY'), refunded: money(0, 'CNY'), card: { maskedPan: '621234******1232', scheme: 'unionpay' }, legs: [] }],
    });
    fake.emit('currentSale', { sale: held });
    await flushPromises();
    expect(wrapper.get('[data-testid="partly-paid"]').text()).toContain('Partly paid — finish or cancel');
    expect(wrapper.get('[data-testid="held-tender-1"]').text()).toContain('621234******1232');
    expect(wrapper.get('[data-testid="cart-due"]').text()).toBe(formatMoney(money(750, 'CNY'), 'en'));
    expect(wrapper.get('[data-testid="cart-increase-NOTE-003"]').attributes('disabled')).toBeDefined();
  });

  it('shows a failed station call in a localized banner', async () => {
    const { wrapper } = await mountCheckout({ startCardTender: () => fail('busy', 'a cash payment is already in progress') });
    await tap(wrapper, 'product-TEA-001');
    await tap(wrapper, 'pay-by-card');
    const banner = wrapper.get('[data-testid="error-banner"]');
    expect(banner.text()).toContain('发起银行卡付款失败');
    expect(banner.text()).toContain('收银站正忙');
    expect(banner.text()).toContain('a cash payment is already in progress');
    expect(wrapper.find('[data-testid="payment-panel"]').exists()).toBe(false);
    await tap(wrapper, 'dismiss-error');
    expect(wrapper.find('[data-testid="error-banner"]').exists()).toBe(false);
  });

  it('reports a transport that throws instead of answering', async () => {
    const { wrapper } = await mountCheckout({ listCatalog: () => Promise.reject(new Error('ipc channel gone')) });
    expect(wrapper.get('[data-testid="error-banner"]').text()).toContain('ipc channel gone');
  });

  it('switches every text with the locale toggle and remembers the choice', async () => {
    const { wrapper, storage } = await mountCheckout();
    await tap(wrapper, 'product-TEA-001');
    expect(wrapper.get('[data-testid="merchant-name"]').text()).toBe('星光便利店');
    expect(wrapper.get('[data-testid="product-TEA-001"]').text()).toContain('乌龙茶');
    expect(wrapper.get('[data-testid="pay-by-card"]').text()).toBe('银行卡');
    await tap(wrapper, 'locale-toggle');
    expect(wrapper.get('[data-testid="merchant-name"]').text()).toBe('Starlight Mart');
    expect(wrapper.get('[data-testid="product-TEA-001"]').text()).toContain('Oolong tea');
    expect(wrapper.get('[data-testid="pay-by-card"]').text()).toBe('Card');
    expect(wrapper.get('[data-testid="cart-total"]').text()).toBe(formatMoney(money(350, 'CNY'), 'en'));
    expect(storage.getItem('pos.locale')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('shows the header, devices and acquirer from the station', async () => {
    const { wrapper, fake } = await mountCheckout();
    expect(wrapper.get('[data-testid="terminal-id"]').text()).toBe('T0000001');
    expect(wrapper.get('[data-testid="acquirer-host"]').text()).toContain('127.0.0.1:8583');
    const reader = wrapper.get('[data-testid="device-status-cardReader"]');
    expect(reader.attributes('data-state')).toBe('ready');
    expect(reader.text()).toContain('读卡器');
    fake.emit('deviceStatus', { device: 'printer', state: 'ready', source: 'virtual', model: 'Virtual printer', alerts: ['drawer_left_open'] });
    await flushPromises();
    expect(wrapper.get('[data-testid="device-status-printer"]').text()).toContain('钱箱长时间未关');
  });

  it('stops listening to the station when unmounted', async () => {
    const { wrapper, fake } = await mountCheckout();
    expect(fake.listenerCount('paymentProgress')).toBe(1);
    expect(fake.listenerCount('currentSale')).toBe(1);
    wrapper.unmount();
    for (const event of ['paymentProgress', 'currentSale', 'saleChanged', 'session', 'deviceStatus', 'receiptPrinted'] as const) expect(fake.listenerCount(event)).toBe(0);
  });
});
