import { describe, expect, it } from 'vitest';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import type { CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import { SaleError } from '../sales/sale-error.ts';
import { createDispatcher, IpcRejection, type Handlers } from './dispatcher.ts';
import { domainErrorToIpc } from './domain-errors.ts';

const TENDER = { paymentId: 'p-1', saleId: 's-1', tenderId: 1 };

function dispatcherWith(overrides: Partial<Handlers<CheckoutContract>> = {}) {
  const internal: unknown[] = [];
  const handlers = {
    getStationInfo: () => {
      throw new Error('boom');
    },
    listCatalog: () => [],
    startCashTender: ({ receivedMinor }) => ({ ...TENDER, paymentId: `p-${receivedMinor}`, pan: '6212345678901232' }),
    cancelPayment: () => {
      throw new IpcRejection('busy', 'not now');
    },
    startCardTender: () => {
      throw new SaleError('rejected', 'only 18.00 CNY is due');
    },
    listDevices: () => [],
    ...overrides,
  } as Handlers<CheckoutContract>;
  return { dispatch: createDispatcher(checkoutContract, handlers, (_method, error) => internal.push(error), domainErrorToIpc), internal };
}

describe('IPC dispatcher', () => {
  it('calls the handler with parsed input and returns ok', async () => {
    const { dispatch } = dispatcherWith();
    expect(await dispatch('startCashTender', { receivedMinor: 2000 })).toEqual({ ok: true, value: { ...TENDER, paymentId: 'p-2000' } });
  });

  it('strips output fields the contract does not declare (a PAN never rides along)', async () => {
    const { dispatch } = dispatcherWith();
    const result = await dispatch('startCashTender', { receivedMinor: 100 });
    expect(JSON.stringify(result)).not.toContain('6212345678901232');
  });

  it.each([
    ['a missing field', {}],
    ['a fractional amount', { receivedMinor: 1.5 }],
    ['an extra key (a price the UI must not send)', { receivedMinor: 100, price: 1 }],
    ['a wrong type', 'receivedMinor'],
    ['no input at all', undefined],
  ])('refuses %s with invalid_input', async (_what, input) => {
    const { dispatch } = dispatcherWith();
    const result = await dispatch('startCashTender', input);
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

  it('maps a domain error to its typed result, with the domain\'s message', async () => {
    const { dispatch, internal } = dispatcherWith();
    expect(await dispatch('startCardTender', {})).toEqual({ ok: false, error: { code: 'rejected', message: 'only 18.00 CNY is due' } });
    expect(internal).toHaveLength(0);
  });

  it('turns an unexpected error into internal, reporting it to the station log only', async () => {
    const { dispatch, internal } = dispatcherWith();
    const result = await dispatch('getStationInfo', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('boom');
    expect(internal).toHaveLength(1);
  });
});
