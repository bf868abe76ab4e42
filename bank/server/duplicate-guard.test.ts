/** Duplicate detection (DE39 94) over TCP. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { purchaseFor } from '../purchase-fixture.ts';
import { accountOf, deckCard, startTestHost, type TestHost } from '../test-host.ts';
import { reversalOf, settlementFor } from '../transaction-fixtures.ts';

const debit = deckCard('unionpay-debit-approved');
const FIVE_MINUTES_MS = 300_000;
let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  await host.close();
});

const later = (ms: number) => host.setClock(new Date(host.now().getTime() + ms));
/** The same request again, as a retransmission: same MTI and fields. */
const copy = (request: IsoMessage): IsoMessage => ({ mti: request.mti, fields: new Map(request.fields) });

describe('duplicate detection over TCP', () => {
  it('answers a repeated purchase 94 and debits once', async () => {
    const purchase = purchaseFor(debit, { amountMinor: 10_000 });
    expect(getText(await host.send(purchase), 39)).toBe('00');
    const repeat = await host.send(copy(purchase));
    expect(repeat.mti).toBe('0210');
    expect(getText(repeat, 39)).toBe('94');
    expect(repeat.fields.has(37)).toBe(false);
    expect(accountOf(host, debit.id).available).toBe(490_000);
    expect(host.query('SELECT rrn FROM transactions')).toHaveLength(1);
    expect(host.logLines.some((line) => line.includes('rc=94') && line.includes('duplicate'))).toBe(true);
  });

  it('answers a repeat of a declined request 94 too: it was answered', async () => {
    const declined = purchaseFor(debit, { amountMinor: 10_000, pin: '000000' });
    expect(getText(await host.send(declined), 39)).toBe('55');
    expect(getText(await host.send(copy(declined)), 39)).toBe('94');
  });

  it('treats the request as new once the window has passed', async () => {
    const purchase = purchaseFor(debit, { amountMinor: 10_000 });
    await host.send(purchase);
    later(FIVE_MINUTES_MS - 1);
    expect(getText(await host.send(copy(purchase)), 39)).toBe('94');
    later(1);
    expect(getText(await host.send(copy(purchase)), 39)).toBe('00');
    expect(accountOf(host, debit.id).available).toBe(480_000);
  });

  it('still knows the request after a host restart inside the window', async () => {
    const purchase = purchaseFor(debit, { amountMinor: 10_000 });
    await host.send(purchase);
    await host.restart();
    later(60_000);
    expect(getText(await host.send(copy(purchase)), 39)).toBe('94');
    expect(accountOf(host, debit.id).available).toBe(490_000);
  });

  it('needs DE11, DE41 and DE7 all equal', async () => {
    const purchase = purchaseFor(debit, { amountMinor: 100, stan: '000123' });
    await host.send(purchase);
    const otherTime = copy(purchase);
    otherTime.fields.set(7, '1121101531');
    expect(getText(await host.send(otherTime), 39)).toBe('00');
    const otherTerminal = copy(purchase);
    otherTerminal.fields.set(41, 'POS00002');
    expect(getText(await host.send(otherTerminal), 39)).toBe('00');
  });

  it('answers a repeated settlement 94 without closing anything twice', async () => {
    const close = settlementFor({ creditsCount: 0, creditsMinor: 0, debitsCount: 0, debitsMinor: 0 });
    expect(getText(await host.send(close), 66)).toBe('1');
    const repeat = await host.send(copy(close));
    expect(repeat.mti).toBe('0510');
    expect(getText(repeat, 39)).toBe('94');
    expect(repeat.fields.has(66)).toBe(false);
    expect(host.query('SELECT id FROM batches')).toHaveLength(1);
  });

  it('never answers a reversal 94: a repeat is idempotent by design', async () => {
    const purchase = purchaseFor(debit, { amountMinor: 10_000 });
    await host.send(purchase);
    const reversal = reversalOf(purchase);
    expect(getText(await host.send(reversal), 39)).toBe('00');
    expect(getText(await host.send(copy(reversal)), 39)).toBe('00');
    expect(getText(await host.send(reversalOf(purchase, { mti: '0401' })), 39)).toBe('00');
    expect(accountOf(host, debit.id).available).toBe(500_000);
  });
});
