/** Balance inquiry (0200, DE3 310000) over TCP. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getText } from '../../payments/iso8583/message.ts';
import { purchaseFor } from '../purchase-fixture.ts';
import { accountOf, deckCard, startTestHost, type TestHost } from '../test-host.ts';
import { balanceInquiryFor, settlementFor } from '../transaction-fixtures.ts';

let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  await host.close();
});

describe('balance inquiry over TCP', () => {
  it('reports a debit account’s ledger and available balance in DE54, and changes nothing', async () => {
    const debit = deckCard('unionpay-debit-approved');
    expect(getText(await host.send(purchaseFor(debit, { amountMinor: 12_345 })), 39)).toBe('00');
    const response = await host.send(balanceInquiryFor(debit));
    expect(response.mti).toBe('0210');
    expect(getText(response, 39)).toBe('00');
    expect(getText(response, 3)).toBe('310000');
    expect(getText(response, 4)).toBe('000000000000');
    // account type 00, amount type 01 ledger / 02 available, CNY 156, sign, n12
    expect(getText(response, 54)).toBe('0001156C000000500000' + '0002156C000000487655');
    for (const field of [2, 35, 37, 38, 52, 53]) expect(response.fields.has(field)).toBe(false);
    expect(accountOf(host, debit.id)).toEqual({ posted: 500_000, available: 487_655 });
    expect(host.query('SELECT rrn FROM transactions')).toHaveLength(1);
  });

  it('reports a credit account’s debt as a D ledger balance and its available credit', async () => {
    const credit = deckCard('visa-credit');
    expect(getText(await host.send(balanceInquiryFor(credit)), 54)).toBe('0001156C000000000000' + '0002156C000002000000');
    expect(getText(await host.send(purchaseFor(credit, { amountMinor: 30_000 })), 39)).toBe('00');
    expect(getText(await host.send(settlementFor({ creditsCount: 0, creditsMinor: 0, debitsCount: 1, debitsMinor: 30_000 })), 66)).toBe('1');
    expect(getText(await host.send(balanceInquiryFor(credit)), 54)).toBe('0001156D000000030000' + '0002156C000001970000');
  });

  it('runs the purchase card checks: a wrong PIN is 55 without DE54', async () => {
    const response = await host.send(balanceInquiryFor(deckCard('unionpay-debit-approved'), { pin: '000000' }));
    expect(getText(response, 39)).toBe('55');
    expect(response.fields.has(54)).toBe(false);
  });

  it.each([
    ['unionpay-lost', '41'],
    ['unionpay-expired', '54'],
  ])('declines %s with %s', async (id, code) => {
    expect(getText(await host.send(balanceInquiryFor(deckCard(id))), 39)).toBe(code);
  });

  it('answers 13 when DE4 is not zero', async () => {
    const request = balanceInquiryFor(deckCard('unionpay-debit-approved'));
    request.fields.set(4, '000000000100');
    expect(getText(await host.send(request), 39)).toBe('13');
  });

  it('answers 30 without the PIN', async () => {
    const request = balanceInquiryFor(deckCard('unionpay-debit-approved'));
    request.fields.delete(52);
    expect(getText(await host.send(request), 39)).toBe('30');
  });
});
