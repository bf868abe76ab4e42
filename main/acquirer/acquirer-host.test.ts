/**
 * Every ISO 8583 transaction type the station sends (profile version 2), and every answer it
 * handles, against the real bundled host over TCP (in-process for speed; the timeout tests run it
 * as a child process), through the station's own composition.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getText } from '../../payments/iso8583/message.ts';
import { purchaseFor } from '../../bank/purchase-fixture.ts';
import { startHost, type RunningHost } from '../../bank/start-host.ts';
import { APPROVAL, deckCard, rigEnrolment, startRig, type Rig } from '../test-support/station-rig.ts';
import { hostAvailableMinor, hostTransactions } from '../test-support/host-ledger.ts';
import { buildCardRequest, readAuthorizationAnswer } from './card-request.ts';

const TID = 'POS00001';
let host: RunningHost;
let rig: Rig;
const hostLog: string[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'acquirer-host-'));
  host = await startHost({ dataDir: join(dataDir, 'bank'), port: 0, log: (line) => hostLog.push(line), enrolStation: rigEnrolment(dataDir) });
  rig = await startRig({ host: host.host, port: host.port, dataDir });
  await rig.waitUntilUp();
  await rig.signInAndOpenShift();
});

afterAll(async () => {
  await rig.stop();
  await host.close();
});

const available = (cardId: string) => hostAvailableMinor(host.ledgerPath, cardId);
const hostState = (stan: string) => hostTransactions(host.ledgerPath, TID).find((transaction) => transaction.stan === stan)?.state;
const lastRow = () => rig.lastLeg();
const journal = () => rig.services.journal;

/** A sale paid by card, then its purchase leg. */
async function approvedSale(cardId: string, pin: string, skus: string[]) {
  const { final } = await rig.cardSale(cardId, [pin], skus);
  expect(final).toMatchObject({ kind: 'purchase', step: 'approved', outcome: { responseCode: '00' } });
  return lastRow();
}

describe('network management', () => {
  it('signs on (0800 DE70 001) when the station starts, and only then reports the link up', () => {
    expect(rig.services.acquirer.status()).toEqual({ state: 'up', transport: 'tls', pendingReversals: 0 });
    expect(hostLog.some((line) => / 0800 stan=\d{6} tid=POS00001 .*rc=00 .*\(sign-on\)/.test(line))).toBe(true);
  });
});

describe('purchase (0200 000000)', () => {
  it('approves with 00, journals RRN and approval code, and the host holds the amount', async () => {
    const before = available('mastercard-2series-credit');
    const row = await approvedSale('mastercard-2series-credit', '2468', ['COF-001']);
    expect(row).toMatchObject({ kind: 'purchase', status: 'approved', responseCode: '00', processingCode: '000000', batchNumber: '000001', maskedPan: '222300******0010' });
    expect(row.rrn).toMatch(/^\d{12}$/);
    expect(available('mastercard-2series-credit')).toBe(before - 1500);
    expect(hostState(row.stan)).toBe('pending');
  });

  it.each([
    ['three wrong PINs', 'visa-credit', ['9999', '9999', '9999'], '75'],
    ['insufficient funds', 'unionpay-low-balance', ['123456'], '51'],
    ['a lost card', 'unionpay-lost', ['123456'], '41'],
    ['a stolen card', 'mastercard-stolen', ['1234'], '43'],
    ['a blocked card', 'unionpay-blocked', ['123456'], '57'],
    ['an expired card', 'unionpay-expired', ['123456'], '54'],
  ])('declines %s with %s', async (_what, cardId, pins, code) => {
    const { final } = await rig.cardSale(cardId, pins, ['HOM-002']);
    expect(final).toMatchObject({ step: 'declined', outcome: { responseCode: code } });
    const row = lastRow();
    expect(row).toMatchObject({ status: 'declined', responseCode: code, rrn: undefined });
  });

  it('a repeated 0200 (same DE11 + DE41 + DE7) is answered 94 and debits nothing more', async () => {
    const card = deckCard('jcb-credit');
    const before = available(card.id);
    const request = purchaseFor(card, { amountMinor: 2000, stan: '900001', terminalId: TID });
    const first = readAuthorizationAnswer(await rig.services.acquirer.port.request(request));
    const again = readAuthorizationAnswer(await rig.services.acquirer.port.request(request));
    expect(first.responseCode).toBe('00');
    expect(again).toEqual({ responseCode: '94' });
    expect(available(card.id)).toBe(before - 2000);
  });
});

describe('refund (0200 200000)', () => {
  it('refunds part of a purchase with the card and no PIN, credits the card and leaves the rest refundable', async () => {
    const purchase = await approvedSale('unionpay-debit-approved', '123456', ['HOM-002']);
    const before = available('unionpay-debit-approved');
    const final = await rig.refundLeg(purchase, 1000, 'unionpay-debit-approved');
    expect(final).toMatchObject({ kind: 'refund', step: 'approved', amount: { amountMinor: 1000 }, outcome: { responseCode: '00' } });
    expect(rig.progress.filter((event) => event.paymentId === final.paymentId).map((event) => event.step)).not.toContain('enter_pin');
    const refund = lastRow();
    expect(refund).toMatchObject({ kind: 'refund', status: 'approved', processingCode: '200000', originalId: purchase.id, originalRrn: purchase.rrn });
    expect(refund.rrn).not.toBe(purchase.rrn);
    expect(available('unionpay-debit-approved')).toBe(before + 1000);
    expect(journal().sales.ofTender(purchase.tenderId!)).toMatchObject({ status: 'partly_refunded', refunded: { amountMinor: 1000 } });
  });

  it('refuses locally more than is left to refund, an unknown RRN, and another card; the host refuses them too (13, 25)', async () => {
    const purchase = await approvedSale('jcb-credit', '1234', ['SNK-002']);
    const sale = journal().sales.ofTender(purchase.tenderId!)!;
    await expect(rig.call('refundTender', { saleId: sale.id, tenderId: purchase.tenderId!, amountMinor: 1201, approval: APPROVAL })).rejects.toThrow(/at most 12\.00 CNY/);
    await expect(rig.call('refundTender', { saleId: 'no-such-sale', tenderId: 1, amountMinor: 100, approval: APPROVAL })).rejects.toMatchObject({ code: 'not_found' });
    expect(await rig.refundLeg(purchase, 100, 'unionpay-debit-approved')).toMatchObject({ step: 'failed', failure: 'card_mismatch' });

    // What the host says to what the station would never send.
    const refund = (amountMinor: number, originalRrn: string) =>
      rig.services.acquirer.port.request(
        buildCardRequest({ kind: 'refund', stan: journal().nextStan(), terminalId: TID, merchantId: '898310048160001', amount: { amountMinor, currency: 'CNY' }, card: cardData('jcb-credit'), posEntryMode: '021', originalRrn, now: new Date() }),
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
    expect(available('unionpay-debit-approved')).toBe(before);
    // A wrong PIN: 55, the pad asks again, the customer cancels.
    expect(await rig.balanceInquiry('mastercard-2series-credit', '0000')).toMatchObject({ step: 'cancelled', outcome: { responseCode: '55' } });
    expect(lastRow()).toMatchObject({ kind: 'balance_inquiry', status: 'declined', responseCode: '55', tenderId: undefined });
  });
});

describe('void (0400 reason 17)', () => {
  it('voids a card sale of the open batch: 0410 00, the hold is released', async () => {
    const before = available('jcb-credit');
    const purchase = await approvedSale('jcb-credit', '1234', ['DUM-001']);
    const voided = await rig.voidLeg(purchase);
    expect(voided).toMatchObject({ sale: { status: 'voided' }, tenders: [{ fate: 'voided' }] });
    expect(available('jcb-credit')).toBe(before);
    expect(hostTransactions(host.ledgerPath, TID).find((transaction) => transaction.rrn === purchase.rrn)).toMatchObject({ state: 'reversed', reversal_reason: '17' });
    const reversal = journal().legs.row(purchase.id + 1)!;
    expect(reversal).toMatchObject({ kind: 'reversal', mti: '0400', status: 'approved', responseCode: '00', reversalReason: '17', stan: purchase.stan, originalId: purchase.id, tenderId: purchase.tenderId });
    expect(journal().legs.row(purchase.id)?.status).toBe('voided');
    expect(hostLog.some((line) => line.includes(` 0400 stan=${purchase.stan} `) && line.includes('rc=00'))).toBe(true);
  });

  it('refuses to void a sale with refunds standing, or one that was never paid', async () => {
    const purchase = await approvedSale('mastercard-2series-credit', '2468', ['SNK-003']);
    await rig.refundLeg(purchase, 990, 'mastercard-2series-credit');
    await expect(rig.voidLeg(purchase)).rejects.toThrow(/only a paid sale with nothing refunded can be voided/);
    const { saleId } = await rig.cardSale('amex-credit', [], ['TEA-001']);
    await expect(rig.call('voidSale', { saleId, approval: APPROVAL })).rejects.toThrow(/is cancelled/);
  });
});

function cardData(cardId: string) {
  const card = deckCard(cardId);
  return { pan: card.pan, expiry: card.expiry, serviceCode: card.serviceCode, discretionary: card.discretionary, track2: `${card.pan}=${card.expiry}${card.serviceCode}${card.discretionary}` };
}
