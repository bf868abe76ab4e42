/** Reversal (0400/0401 → 0410) over TCP: voids and timeout reversals of purchases and refunds. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { purchaseFor } from '../purchase-fixture.ts';
import { accountOf, deckCard, startTestHost, type TestHost } from '../test-host.ts';
import { refundFor, reversalOf, settlementFor } from '../transaction-fixtures.ts';

const debit = deckCard('unionpay-debit-approved');
let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  await host.close();
});

async function approved(request: IsoMessage): Promise<IsoMessage> {
  const response = await host.send(request);
  expect(getText(response, 39)).toBe('00');
  return response;
}

const stateOf = (rrn: string) => host.query<{ state: string; reversal_reason: string | null }>('SELECT state, reversal_reason FROM transactions WHERE rrn = ?', rrn)[0];

describe('reversal over TCP', () => {
  it('voids a purchase: the hold is released, 0410 echoes DE90', async () => {
    const purchase = purchaseFor(debit, { amountMinor: 25_000 });
    const rrn = getText(await approved(purchase), 37)!;
    expect(accountOf(host, debit.id).available).toBe(475_000);
    const reversal = reversalOf(purchase);
    const response = await host.send(reversal);
    expect(response.mti).toBe('0410');
    expect(getText(response, 39)).toBe('00');
    for (const field of [3, 4, 7, 11, 41, 42, 49, 90]) expect(response.fields.get(field)).toEqual(reversal.fields.get(field));
    expect(response.fields.has(2)).toBe(false);
    expect(accountOf(host, debit.id)).toEqual({ posted: 500_000, available: 500_000 });
    expect(stateOf(rrn)).toEqual({ state: 'reversed', reversal_reason: '17' });
  });

  it('is idempotent: a 0401 repeat, or the same 0400 again, restores nothing twice', async () => {
    const purchase = purchaseFor(debit, { amountMinor: 25_000 });
    await approved(purchase);
    expect(getText(await host.send(reversalOf(purchase, { reason: '68' })), 39)).toBe('00');
    const repeat = await host.send(reversalOf(purchase, { reason: '68', mti: '0401' }));
    expect(repeat.mti).toBe('0410');
    expect(getText(repeat, 39)).toBe('00');
    expect(getText(await host.send(reversalOf(purchase, { reason: '68' })), 39)).toBe('00');
    expect(accountOf(host, debit.id).available).toBe(500_000);
  });

  it('reverses a refund: the credit is taken back and the purchase can be refunded again', async () => {
    const purchaseRrn = getText(await approved(purchaseFor(debit, { amountMinor: 10_000 })), 37)!;
    const refund = refundFor(debit, { amountMinor: 10_000, originalRrn: purchaseRrn });
    await approved(refund);
    expect(accountOf(host, debit.id).available).toBe(500_000);
    expect(getText(await host.send(reversalOf(refund)), 39)).toBe('00');
    expect(accountOf(host, debit.id).available).toBe(490_000);
    await approved(refundFor(debit, { amountMinor: 10_000, originalRrn: purchaseRrn }));
    expect(accountOf(host, debit.id).available).toBe(500_000);
  });

  it('answers 00 and changes nothing for an original it declined or never received', async () => {
    const declined = purchaseFor(debit, { amountMinor: 10_000, pin: '000000' });
    expect(getText(await host.send(declined), 39)).toBe('55');
    const response = await host.send(reversalOf(declined, { reason: '68' }));
    expect(getText(response, 39)).toBe('00');
    expect(getText(await host.send(reversalOf(purchaseFor(debit), { reason: '68' })), 39)).toBe('00');
    expect(accountOf(host, debit.id).available).toBe(500_000);
    expect(host.logLines.some((line) => line.includes('nothing to reverse'))).toBe(true);
  });

  it('answers 25 when DE90 names a transaction of another amount or processing code', async () => {
    const purchase = purchaseFor(debit, { amountMinor: 10_000 });
    await approved(purchase);
    expect(getText(await host.send(reversalOf(purchase, { amountMinor: 9_999 })), 39)).toBe('25');
    const asRefund = reversalOf(purchase);
    asRefund.fields.set(3, '200000');
    expect(getText(await host.send(asRefund), 39)).toBe('25');
    expect(accountOf(host, debit.id).available).toBe(490_000);
  });

  it('answers 12 for a purchase that has refunds standing, and after its batch settled', async () => {
    const purchase = purchaseFor(debit, { amountMinor: 10_000 });
    const rrn = getText(await approved(purchase), 37)!;
    await approved(refundFor(debit, { amountMinor: 1_000, originalRrn: rrn }));
    expect(getText(await host.send(reversalOf(purchase)), 39)).toBe('12');

    const settled = purchaseFor(debit, { amountMinor: 5_000 });
    await approved(settled);
    const close = settlementFor({ creditsCount: 1, creditsMinor: 1_000, debitsCount: 2, debitsMinor: 15_000 });
    expect(getText(await host.send(close), 66)).toBe('1');
    expect(getText(await host.send(reversalOf(settled)), 39)).toBe('12');
    expect(accountOf(host, debit.id)).toEqual({ posted: 486_000, available: 486_000 });
  });

  it.each([
    ['no DE90', (request: IsoMessage) => request.fields.delete(90), '30'],
    ['no reason code (DE39)', (request: IsoMessage) => request.fields.delete(39), '30'],
    ['DE90 naming an 0100', (request: IsoMessage) => request.fields.set(90, `0100${getText(request, 90)!.slice(4)}`), '12'],
    ['a balance inquiry processing code', (request: IsoMessage) => request.fields.set(3, '310000'), '12'],
  ])('answers %s with %s', async (_case, change, code) => {
    const request = reversalOf(purchaseFor(debit));
    change(request);
    expect(getText(await host.send(request), 39)).toBe(code);
  });
});
