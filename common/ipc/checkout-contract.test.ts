import { describe, expect, it } from 'vitest';
import { checkoutContract } from './checkout-contract.ts';

const { methods } = checkoutContract;
const approval = { operatorId: '9001', pin: '7391' };

describe('checkout contract: strict inputs, amounts in whole fen', () => {
  it('a refund names a sale, a tender, the amount in integer minor units and the approval, nothing else', () => {
    const ok = { saleId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', tenderId: 2, amountMinor: 1250, approval };
    expect(methods.refundTender.input.safeParse(ok).success).toBe(true);
    expect(methods.refundTender.input.safeParse({ ...ok, amountMinor: 12.5 }).error?.issues[0]?.message).toBe('the refund must be a whole number of fen');
    expect(methods.refundTender.input.safeParse({ ...ok, amountMinor: -1 }).error?.issues[0]?.message).toBe('the refund must be more than zero');
    expect(methods.refundTender.input.safeParse({ ...ok, amountMinor: '1250' }).success).toBe(false);
    expect(methods.refundTender.input.safeParse({ ...ok, currency: 'USD' }).success).toBe(false);
    expect(methods.refundTender.input.safeParse({ ...ok, approval: undefined }).success).toBe(false);
  });

  it('a cash tender takes what was handed over; the float and the count may be zero, never negative', () => {
    expect(methods.startCashTender.input.safeParse({ receivedMinor: 5000 }).success).toBe(true);
    expect(methods.startCashTender.input.safeParse({ receivedMinor: 0 }).success).toBe(false);
    expect(methods.openShift.input.safeParse({ floatMinor: 0 }).success).toBe(true);
    expect(methods.closeShift.input.safeParse({ countedMinor: -100 }).error?.issues[0]?.message).toBe('the count cannot be negative');
  });

  it('an approval is an operator id and a PIN of digits; the UI never sends a price', () => {
    expect(methods.voidSale.input.safeParse({ saleId: 'x', approval: { operatorId: '9001', pin: '12ab' } }).success).toBe(false);
    expect(methods.addItem.input.safeParse({ sku: 'TEA-001', quantity: 1, price: 1 }).success).toBe(false);
    expect(methods.addItem.input.safeParse({ sku: 'TEA-001', quantity: 1000 }).success).toBe(false);
    expect(methods.setSaleDiscount.input.safeParse({ discount: { kind: 'percent', basisPoints: 10_001 } }).success).toBe(false);
    expect(methods.settleBatch.input.safeParse({ approval }).success).toBe(true);
    expect(methods.listSales.input.safeParse({ limit: 1000 }).success).toBe(false);
  });
});
