import { describe, expect, it } from 'vitest';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import { createDispatcher, IpcRejection, type Handlers } from './dispatcher.ts';
import type { CheckoutContract } from '../../common/ipc/checkout-contract.ts';

function dispatcherWith(overrides: Partial<Handlers<CheckoutContract>> = {}) {
  const internal: unknown[] = [];
  const handlers = {
    getStationInfo: () => {
      throw new Error('boom');
    },
    listCatalog: () => [],
    startPayment: ({ lines }) => ({ paymentId: `p-${lines.length}`, amount: { amountMinor: 100, currency: 'CNY' as const }, pan: '6212345678901232' }),
    cancelPayment: () => {
      throw new IpcRejection('busy', 'not now');
    },
    listJournal: () => [],
    listDevices: () => [],
    ...overrides,
  } as Handlers<CheckoutContract>;
  return { dispatch: createDispatcher(checkoutContract, handlers, (_method, error) => internal.push(error)), internal };
}

describe('IPC dispatcher', () => {
  it('calls the handler with parsed input and returns ok', async () => {
    const { dispatch } = dispatcherWith();
    expect(await dispatch('startPayment', { lines: [{ sku: 'TEA-001', quantity: 2 }] })).toEqual({ ok: true, value: { paymentId: 'p-1', amount: { amountMinor: 100, currency: 'CNY' } } });
  });

  it('strips output fields the contract does not declare (a PAN never rides along)', async () => {
    const { dispatch } = dispatcherWith();
    const result = await dispatch('startPayment', { lines: [{ sku: 'TEA-001', quantity: 1 }] });
    expect(JSON.stringify(result)).not.toContain('6212345678901232');
  });

  it.each([
    ['a missing field', {}],
    ['a float quantity', { lines: [{ sku: 'TEA-001', quantity: 1.5 }] }],
    ['an extra key (an amount the UI must not send)', { lines: [{ sku: 'TEA-001', quantity: 1 }], amount: 1 }],
    ['a wrong type', 'lines'],
    ['no input at all', undefined],
  ])('refuses %s with invalid_input', async (_what, input) => {
    const { dispatch } = dispatcherWith();
    const result = await dispatch('startPayment', input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_input');
  });

  it('refuses a method that is not in the contract, including inherited names', async () => {
    const { dispatch } = dispatcherWith();
    for (const method of ['deleteEverything', 'toString', '__proto__', 42]) {
      const result = await dispatch(method, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
  });

  it('returns an IpcRejection as its own code', async () => {
    const { dispatch } = dispatcherWith();
    expect(await dispatch('cancelPayment', { paymentId: 'x' })).toEqual({ ok: false, error: { code: 'busy', message: 'not now' } });
  });

  it('turns an unexpected error into internal, reporting it to the station log only', async () => {
    const { dispatch, internal } = dispatcherWith();
    const result = await dispatch('getStationInfo', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('boom');
    expect(internal).toHaveLength(1);
  });
});
