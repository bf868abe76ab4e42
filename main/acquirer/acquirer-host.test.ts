/**
 * Every transaction type of profile v2 the station sends, and every answer it handles, against the
 * real bundled host over TCP (in-process for speed; the timeout tests run it as a child process).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getText } from '../../payments/iso8583/message.ts';
import { purchaseFor } from '../../bank/purchase-fixture.ts';
import { startHost, type RunningHost } from '../../bank/start-host.ts';
import { IpcRejection } from '../ipc/dispatcher.ts';
import { deckCard, startRig, type Rig } from '../test-support/acquirer-rig.ts';
import { hostAvailableMinor, hostTransactions } from '../test-support/host-ledger.ts';
import { buildCardRequest, readAuthorizationAnswer } from './card-request.ts';

const TID = 'POS00001';
let host: RunningHost;
let rig: Rig;
const hostLog: string[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'acquirer-host-'));
  host = await startHost({ dataDir: join(dataDir, 'bank'), port: 0, log: (line) => hostLog.push(line) });
  rig = await startRig({ host: host.host, port: host.port, dataDir });
  await rig.waitUntilUp();
});

afterAll(async () => {
  await rig.stop();
  await host.close();
});

const available = (cardId: string) => hostAvailableMinor(host.ledgerPath, cardId);
const hostState = (stan: string) => hostTransactions(host.ledgerPath, TID).find((transaction) => transaction.stan === stan)?.state;
const lastRow = () => rig.journal.row(rig.journal.recent(1)[0]!.id)!;

/** A sale, then its journal row. */
async function approvedSale(cardId: string, pin: string, skus: string[]) {
  const final = await rig.sale(cardId, pin, skus);
  expect(final).toMatchObject({ kind: 'purchase', step: 'approved', outcome: { responseCode: '00' } });
  return lastRow();
}

describe('network management', () => {
  it('signs on (0800 DE70 001) when the station starts, and only then reports the link up', () => {
    expect(rig.acquirer.status()).toEqual({ state: 'up', pendingReversals: 0 });
    expect(hostLog.some((line) => / 0800 stan=\d{6} tid=POS00001 .*rc=00 .*\(sign-on\)/.test(line))).toBe(true);
  });
});

describe('purchase (0200 000000)', () => {
  it('approves with 00, journals RRN and approval code, keeps the PAN sealed for a later reversal, and the host holds the amount', async () => {
    const before = available('mastercard-2series-credit');
    const row = await approvedSale('mastercard-2series-credit', '2468', ['COF-001']);
    expect(row).toMatchObject({ kind: 'purchase', status: 'approved', responseCode: '00', processingCode: '000000', batchNumber: '000001', maskedPan: '222300******0010' });
    expect(row.rrn).toMatch(/^\d{12}$/);
    expect(rig.journal.vault.open(row.id)).toBe(deckCard('mastercard-2series-credit').pan);
    expect(available('mastercard-2series-credit')).toBe(before - 1500);
    expect(hostState(row.stan)).toBe('pending');
  });

  it.each([
    ['a wrong PIN', 'visa-credit', '9999', '55'],
    ['insufficient funds', 'unionpay-low-balance', '123456', '51'],
    ['a lost card', 'unionpay-lost', '123456', '41'],
    ['a stolen card', 'mastercard-stolen', '1234', '43'],
    ['a blocked card', 'unionpay-blocked', '123456', '57'],
    ['an expired card', 'unionpay-expired', '123456', '54'],
  ])('declines %s with %s, and forgets the PAN', async (_what, cardId, pin, code) => {
    const final = await rig.sale(cardId, pin, ['HOM-002']);
    expect(final).toMatchObject({ step: 'declined', outcome: { responseCode: code } });
    const row = lastRow();
    expect(row).toMatchObject({ status: 'declined', responseCode: code, rrn: undefined });
    expect(rig.journal.vault.open(row.id)).toBeUndefined();
  });

  it('a repeated 0200 (same DE11 + DE41 + DE7) is answered 94 and debits nothing more', async () => {
    const card = deckCard('jcb-credit');
    const before = available(card.id);
    const request = purchaseFor(card, { amountMinor: 2000, stan: '900001', terminalId: TID });
    const first = readAuthorizationAnswer(await rig.acquirer.port.request(request));
    const again = readAuthorizationAnswer(await rig.acquirer.port.request(request));
    expect(first.responseCode).toBe('00');
    expect(again).toEqual({ responseCode: '94' });
    expect(available(card.id)).toBe(before - 2000);
  });
});

describe('refund (0200 200000)', () => {
  it('refunds part of a purchase with the card and no PIN, credits the card and leaves the rest refundable', async () => {
    const purchase = await approvedSale('unionpay-debit-approved', '123456', ['HOM-002']);
    const before = available('unionpay-debit-approved');
    const final = await rig.refund(purchase.rrn!, 1000, 'unionpay-debit-approved');
    expect(final).toMatchObject({ kind: 'refund', step: 'approved', amount: { amountMinor: 1000 }, outcome: { responseCode: '00' } });
    expect(rig.progress.filter((event) => event.paymentId === final.paymentId).map((event) => event.step)).not.toContain('enter_pin');
    const refund = lastRow();
    expect(refund).toMatchObject({ kind: 'refund', status: 'approved', processingCode: '200000', originalId: purchase.id, originalRrn: purchase.rrn });
    expect(refund.rrn).not.toBe(purchase.rrn);
    expect(available('unionpay-debit-approved')).toBe(before + 1000);
    expect(rig.journal.entry(purchase.id)).toMatchObject({ refundable: { amountMinor: 2900 }, voidable: false });
  });

  it('refuses locally more than is left to refund, an unknown RRN, and another card; the host refuses them too (13, 25)', async () => {
    const purchase = await approvedSale('visa-credit', '1234', ['SNK-002']);
    expect(() => rig.checkout.startRefund(purchase.rrn!, 1201)).toThrow(/at most 12\.00 CNY/);
    expect(() => rig.checkout.startRefund('000000000000', 100)).toThrow(IpcRejection);
    expect(await rig.refund(purchase.rrn!, 100, 'jcb-credit')).toMatchObject({ step: 'failed', failure: 'card_mismatch' });

    // What the host says to what the station would never send.
    const refund = (amountMinor: number, originalRrn: string) =>
      rig.acquirer.port.request(
        buildCardRequest({ kind: 'refund', stan: rig.journal.nextStan(), terminalId: TID, merchantId: '898310048160001', amount: { amountMinor, currency: 'CNY' }, card: cardData('visa-credit'), originalRrn, now: new Date() }),
      );
    expect(getText(await refund(1201, purchase.rrn!), 39)).toBe('13');
    expect(getText(await refund(100, '000000000000'), 39)).toBe('25');
  });
});

describe('balance inquiry (0200 310000)', () => {
  it('shows the available and ledger balances from DE54, moves no money, and declines a wrong PIN with 55', async () => {
    const before = available('unionpay-debit-approved');
    const final = await rig.balanceInquiry('unionpay-debit-approved', '123456');
    expect(final).toMatchObject({ kind: 'balance_inquiry', step: 'approved', outcome: { responseCode: '00' } });
    expect(final.balances).toEqual(
      expect.arrayContaining([
        { type: 'available', amount: { amountMinor: before, currency: 'CNY' }, sign: 'credit' },
        { type: 'ledger', amount: { amountMinor: 500_000, currency: 'CNY' }, sign: 'credit' },
      ]),
    );
    expect(lastRow()).toMatchObject({ kind: 'balance_inquiry', status: 'approved', amount: { amountMinor: 0 } });
    expect(rig.journal.vault.open(lastRow().id)).toBeUndefined();
    expect(available('unionpay-debit-approved')).toBe(before);
    expect(await rig.balanceInquiry('mastercard-2series-credit', '0000')).toMatchObject({ step: 'declined', outcome: { responseCode: '55' } });
  });
});

describe('void (0400 reason 17)', () => {
  it('voids a purchase of the open batch: 0410 00, the hold is released, the PAN forgotten', async () => {
    const before = available('jcb-credit');
    const purchase = await approvedSale('jcb-credit', '1234', ['DUM-001']);
    const entry = await rig.voidTransaction(purchase.id);
    expect(entry).toMatchObject({ id: purchase.id, status: 'voided', voidable: false });
    expect(available('jcb-credit')).toBe(before);
    expect(hostTransactions(host.ledgerPath, TID).find((transaction) => transaction.rrn === purchase.rrn)).toMatchObject({ state: 'reversed', reversal_reason: '17' });
    const reversal = rig.journal.row(purchase.id + 1)!;
    expect(reversal).toMatchObject({ kind: 'reversal', status: 'approved', responseCode: '00', reversalReason: '17', stan: purchase.stan, originalId: purchase.id });
    expect(rig.journal.vault.open(purchase.id)).toBeUndefined();
    expect(hostLog.some((line) => line.includes(` 0400 stan=${purchase.stan} `) && line.includes('rc=00'))).toBe(true);
  });

  it('voids a refund (the credit is taken back), then the purchase', async () => {
    const purchase = await approvedSale('mastercard-2series-credit', '2468', ['SNK-003']);
    const before = available('mastercard-2series-credit');
    await rig.refund(purchase.rrn!, 990, 'mastercard-2series-credit');
    const refund = lastRow();
    await expect(rig.voidTransaction(purchase.id)).rejects.toThrow(/refunds of it stand/);
    expect(await rig.voidTransaction(refund.id)).toMatchObject({ status: 'voided' });
    expect(available('mastercard-2series-credit')).toBe(before);
    expect(await rig.voidTransaction(purchase.id)).toMatchObject({ status: 'voided' });
    expect(available('mastercard-2series-credit')).toBe(before + 990);
  });

  it('refuses to void what is not an approved transaction of the open batch', async () => {
    await rig.sale('visa-credit', '0000', ['TEA-001']);
    await expect(rig.voidTransaction(lastRow().id)).rejects.toThrow(/declined/);
    await expect(rig.voidTransaction(999_999)).rejects.toThrow(/no purchase or refund/);
  });
});

function cardData(cardId: string) {
  const card = deckCard(cardId);
  return { pan: card.pan, expiry: card.expiry, serviceCode: card.serviceCode, discretionary: card.discretionary, track2: `${card.pan}=${card.expiry}${card.serviceCode}${card.discretionary}` };
}
