import { describe, expect, it } from 'vitest';
import { checkoutContract } from './checkout-contract.ts';

const { methods } = checkoutContract;

describe('checkout contract: the acquirer-side methods take strict inputs', () => {
  it('a refund names the purchase by its RRN and the amount in integer minor units, nothing else', () => {
    expect(methods.startRefund.input.safeParse({ originalRrn: '632510000001', amountMinor: 1250 }).success).toBe(true);
    expect(methods.startRefund.input.safeParse({ originalRrn: '632510000001', amountMinor: 12.5 }).success).toBe(false);
    expect(methods.startRefund.input.safeParse({ originalRrn: '632510000001', amountMinor: 0 }).success).toBe(false);
    expect(methods.startRefund.input.safeParse({ originalRrn: '632510000001', amountMinor: '1250' }).success).toBe(false);
    expect(methods.startRefund.input.safeParse({ originalRrn: '6325', amountMinor: 1250 }).success).toBe(false);
    expect(methods.startRefund.input.safeParse({ originalRrn: '632510000001', amountMinor: 1250, currency: 'USD' }).success).toBe(false);
  });

  it('a balance inquiry and a settlement take no input; a void names a journal row', () => {
    expect(methods.startBalanceInquiry.input.safeParse({}).success).toBe(true);
    expect(methods.startBalanceInquiry.input.safeParse({ amountMinor: 0 }).success).toBe(false);
    expect(methods.settleBatch.input.safeParse({ totals: 1 }).success).toBe(false);
    expect(methods.voidTransaction.input.safeParse({ transactionId: 3 }).success).toBe(true);
    expect(methods.voidTransaction.input.safeParse({ transactionId: 3, amountMinor: 100 }).success).toBe(false);
    expect(methods.listBatches.input.safeParse({ limit: 1000 }).success).toBe(false);
  });
});
