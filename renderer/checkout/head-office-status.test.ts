// @vitest-environment happy-dom
/** The head-office upload in the status bar: hidden for a station without a head office, its state and backlog otherwise. */
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import type { AppLocale } from '../i18n/locales.ts';
import { fakeStation } from '../test-support/fake-station.ts';
import { createMemoryApi } from '../test-support/memory-api.ts';
import { mountApp } from '../test-support/mount-app.ts';
import CheckoutApp from './CheckoutApp.vue';
import { posApi } from './pos-api.ts';

async function mountCheckout(locale: AppLocale) {
  const fake = createMemoryApi(checkoutContract, fakeStation());
  const mounted = mountApp(CheckoutApp, { key: posApi.key, api: fake.api }, { locale });
  await flushPromises();
  return { ...mounted, fake };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('the head-office upload in the status bar', () => {
  it('is absent until the station reports one, then shows the backlog while the head office is unreachable, and up to date once it is sent', async () => {
    const { wrapper, fake } = await mountCheckout('en');
    expect(wrapper.find('[data-testid="head-office-status"]').exists()).toBe(false);

    fake.emit('headOfficeStatus', { state: 'retrying', backlog: 42, lastError: 'head office https://hq.example: connect ECONNREFUSED' });
    await flushPromises();
    const status = wrapper.get('[data-testid="head-office-status"]');
    expect(status.attributes('data-state')).toBe('retrying');
    expect(status.text()).toContain('Unreachable, retrying');
    expect(status.get('[data-testid="head-office-backlog"]').text()).toBe('42 event(s) to send');

    fake.emit('headOfficeStatus', { state: 'idle', backlog: 0 });
    await flushPromises();
    expect(wrapper.get('[data-testid="head-office-status"]').text()).toContain('Up to date');
    expect(wrapper.find('[data-testid="head-office-backlog"]').exists()).toBe(false);
  });

  it('speaks the cashier’s language', async () => {
    const { wrapper, fake } = await mountCheckout('zh-CN');
    fake.emit('headOfficeStatus', { state: 'refused', backlog: 3 });
    await flushPromises();
    expect(wrapper.get('[data-testid="head-office-status"]').text()).toContain('被拒绝');
    expect(wrapper.get('[data-testid="head-office-backlog"]').text()).toBe('3 条待上传');
  });
});
