// @vitest-environment happy-dom
/** Leaving kiosk mode from the checkout: the exit keys' request opens the supervisor approval, signed in or not; the station decides. */
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import { fail, ok } from '../../common/ipc/result.ts';
import type { SessionState } from '../../common/shift.ts';
import { approveInDialog } from '../test-support/approval-dialog.ts';
import { fakeStation, SIGNED_IN } from '../test-support/fake-station.ts';
import { createMemoryApi, type Handlers } from '../test-support/memory-api.ts';
import { mountApp } from '../test-support/mount-app.ts';
import CheckoutApp from './CheckoutApp.vue';
import { posApi } from './pos-api.ts';

const SUPERVISOR = { operatorId: '9001', pin: '7391' };
const SIGNED_OUT: SessionState = {};

async function mountCheckout(session: SessionState, overrides: Handlers<typeof checkoutContract> = {}) {
  const fake = createMemoryApi(checkoutContract, { ...fakeStation(session), exitKiosk: () => ok({ exiting: true as const }), ...overrides });
  const mounted = mountApp(CheckoutApp, { key: posApi.key, api: fake.api }, { locale: 'en' });
  await flushPromises();
  return { ...mounted, fake };
}

const approve = (wrapper: VueWrapper, credentials = SUPERVISOR) => approveInDialog(wrapper, credentials);

afterEach(() => {
  document.body.innerHTML = '';
});

describe('leaving kiosk mode', () => {
  for (const [state, session] of [
    ['with a cashier signed in', SIGNED_IN],
    ['at the sign-in screen', SIGNED_OUT],
  ] as const) {
    it(`asks for a supervisor when the exit keys are pressed ${state}, and sends their id and PIN to the station`, async () => {
      const { wrapper, fake } = await mountCheckout(session);
      expect(wrapper.find('[data-testid="approval-dialog"]').exists()).toBe(false);
      fake.emit('kioskExitRequested', {});
      await flushPromises();
      expect(wrapper.get('[data-testid="approval-dialog"]').attributes('data-purpose')).toBe('kioskExit');
      expect(wrapper.get('[data-testid="approval-dialog"]').text()).toContain('Closing the checkout (kiosk mode) needs a supervisor');
      await approve(wrapper);
      expect(fake.callsTo('exitKiosk')).toEqual([{ approval: SUPERVISOR }]);
    });
  }

  it('sends nothing when the approval is cancelled', async () => {
    const { wrapper, fake } = await mountCheckout(SIGNED_IN);
    fake.emit('kioskExitRequested', {});
    await flushPromises();
    await wrapper.get('[data-testid="approval-cancel"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="approval-dialog"]').exists()).toBe(false);
    expect(fake.callsTo('exitKiosk')).toEqual([]);
  });

  it('shows the station\'s refusal (a cashier is not a supervisor) and stays on the checkout', async () => {
    const { wrapper, fake } = await mountCheckout(SIGNED_IN, { exitKiosk: () => fail('forbidden', 'Li Na (1001) is not a supervisor: leaving kiosk mode needs one') });
    fake.emit('kioskExitRequested', {});
    await flushPromises();
    await approve(wrapper, { operatorId: '1001', pin: '2580' });
    expect(wrapper.get('[data-testid="error-banner"]').text()).toContain('Leaving kiosk mode failed');
    expect(wrapper.get('[data-testid="error-banner"]').text()).toContain('is not a supervisor');
    expect(wrapper.find('[data-testid="approval-dialog"]').exists()).toBe(false);
  });
});
