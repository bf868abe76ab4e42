// @vitest-environment happy-dom
/** The PIN try the host offers: after a 55 the cashier sees that the customer may type the PIN again. */
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import { fakeStation } from '../test-support/fake-station.ts';
import { progress } from '../test-support/fixtures.ts';
import { createMemoryApi } from '../test-support/memory-api.ts';
import { mountApp } from '../test-support/mount-app.ts';
import CheckoutApp from './CheckoutApp.vue';
import { posApi } from './pos-api.ts';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('PIN try', () => {
  it('says the PIN was wrong and which attempt this is, only while the pad asks again', async () => {
    const fake = createMemoryApi(checkoutContract, fakeStation());
    const { wrapper } = mountApp(CheckoutApp, { key: posApi.key, api: fake.api }, { locale: 'en' });
    await flushPromises();
    fake.emit('paymentProgress', progress('enter_pin', { pinDigits: 0 }));
    await flushPromises();
    expect(wrapper.find('[data-testid="pin-retry"]').exists()).toBe(false);
    fake.emit('paymentProgress', progress('enter_pin', { pinDigits: 2, pinAttempt: 2 }));
    await flushPromises();
    expect(wrapper.get('[data-testid="pin-retry"]').text()).toBe('Wrong PIN: the customer may try again on the PIN pad (attempt 2)');
    fake.emit('paymentProgress', progress('authorizing'));
    await flushPromises();
    expect(wrapper.find('[data-testid="pin-retry"]').exists()).toBe(false);
  });
});
