/** Refund (0200, DE3 200000) over TCP. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { purchaseFor } from '../purchase-fixture.ts';
import { accountOf, deckCard, startTestHost, type TestHost } from '../test-host.ts';
import { refundFor, reversalOf } from '../transaction-fixtures.ts';

const debit = deckCard('unionpay-debit-approved');
let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  await host.close();
});

async function approvedPurchase(amountMinor: number, card = debit): Promise<{ request: IsoMessage; rrn: string }> {
  const request = purchaseFor(card, { amountMinor });
  const response = await host.send(request);
  expect(getText(response, 39)).toBe('00');
  return { request, rrn: getText(response, 37)! };
}

describe('refund over TCP', () => {
  it('credits the account at once and answers with its own RRN and approval code', async () => {
    const { rrn } = await approvedPurchase(10_000);
    const request = refundFor(debit, { amountMinor: 4_000, originalRrn: rrn });
    const response = await host.send(request);
    expect(response.mti).toBe('0210');
    expect(getText(response, 39)).toBe('00');
    expect(getText(response, 37)).toMatch(/^\d{12}$/);
    expect(getText(response, 37)).not.toBe(rrn);
    expect(getText(response, 38)).toMatch(/^\d{6}$/);
    for (const field of [3, 4, 7, 11, 12, 13, 41, 42, 49]) expect(response.fields.get(field)).toEqual(request.fields.get(field));
    expect(accountOf(host, debit.id)).toEqual({ posted: 500_000, available: 500_000 - 10_000 + 4_000 });
  });

  it('refunds in parts up to what is left, then answers 13 and credits nothing more', async () => {
    const { rrn } = await approvedPurchase(10_000);
    expect(getText(await host.send(refundFor(debit, { amountMinor: 6_000, originalRrn: rrn })), 39)).toBe('00');
    expect(getText(await host.send(refundFor(debit, { amountMinor: 4_001, originalRrn: rrn })), 39)).toBe('13');
    expect(getText(await host.send(refundFor(debit, { amountMinor: 4_000, originalRrn: rrn })), 39)).toBe('00');
    expect(getText(await host.send(refundFor(debit, { amountMinor: 1, originalRrn: rrn })), 39)).toBe('13');
    expect(accountOf(host, debit.id).available).toBe(500_000);
  });

  it('answers 25 for an RRN the host never gave', async () => {
    const response = await host.send(refundFor(debit, { amountMinor: 100, originalRrn: '632510999999' }));
    expect(getText(response, 39)).toBe('25');
    expect(response.fields.has(37)).toBe(false);
    expect(accountOf(host, debit.id).available).toBe(500_000);
  });

  it('answers 25 when the purchase was another card’s, another merchant’s, or reversed', async () => {
    const { request, rrn } = await approvedPurchase(10_000);
    const visa = deckCard('visa-credit');
    expect(getText(await host.send(refundFor(visa, { amountMinor: 100, originalRrn: rrn })), 39)).toBe('25');
    expect(getText(await host.send(refundFor(debit, { amountMinor: 100, originalRrn: rrn, merchantId: '898310048160002' })), 39)).toBe('25');
    expect(getText(await host.send(reversalOf(request)), 39)).toBe('00');
    expect(getText(await host.send(refundFor(debit, { amountMinor: 100, originalRrn: rrn })), 39)).toBe('25');
  });

  it('answers 25 for the RRN of a refund: only purchases are refunded', async () => {
    const { rrn } = await approvedPurchase(10_000);
    const refundRrn = getText(await host.send(refundFor(debit, { amountMinor: 100, originalRrn: rrn })), 37)!;
    expect(getText(await host.send(refundFor(debit, { amountMinor: 100, originalRrn: refundRrn })), 39)).toBe('25');
  });

  it('accepts a refund from another terminal of the same merchant', async () => {
    const { rrn } = await approvedPurchase(10_000);
    expect(getText(await host.send(refundFor(debit, { amountMinor: 100, originalRrn: rrn, terminalId: 'POS00002' })), 39)).toBe('00');
  });

  it('runs the card checks without a PIN: a lost card is 41', async () => {
    expect(getText(await host.send(refundFor(deckCard('unionpay-lost'), { amountMinor: 100, originalRrn: '632510000001' })), 39)).toBe('41');
  });

  it.each([
    ['a zero amount', (request: IsoMessage) => request.fields.set(4, '000000000000'), '13'],
    ['no DE37', (request: IsoMessage) => request.fields.delete(37), '30'],
    ['no track 2', (request: IsoMessage) => request.fields.delete(35), '30'],
  ])('answers %s with %s', async (_case, change, code) => {
    const request = refundFor(debit, { amountMinor: 100, originalRrn: '632510000001' });
    change(request);
    expect(getText(await host.send(request), 39)).toBe(code);
  });
});
