/**
 * Profile v4 over TCP: card data from an encrypting reader (DE120) is decrypted with the reader's
 * BDK and checked as a clear swipe would be; reversals and uploads carry no card at all.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encryptedCardDataField } from '../../payments/iso8583/encrypted-card-data.ts';
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { purchaseFor } from '../purchase-fixture.ts';
import { accountOf, deckCard, startTestHost, type TestHost } from '../test-host.ts';
import { balanceInquiryFor, refundFor, reversalOf } from '../transaction-fixtures.ts';
import { withValidCvv } from './card-checks/issuer-controls-fixture.ts';

const debit = deckCard('unionpay-debit-approved');
let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  await host.close();
});

const rc = async (request: IsoMessage) => getText(await host.send(request), 39);

describe('card data an encrypting reader sends (DE120)', () => {
  it.each(['tdes-dukpt', 'aes-dukpt'] as const)('approves a %s-encrypted swipe, with no DE2 or DE35 in the request', async (cardData) => {
    const request = purchaseFor(debit, { amountMinor: 12_300, cardData });
    expect([request.fields.has(2), request.fields.has(35), request.fields.has(120)]).toEqual([false, false, true]);
    const response = await host.send(request);
    expect(getText(response, 39)).toBe('00');
    expect(response.fields.has(120)).toBe(false);
    expect(accountOf(host, debit.id).available).toBe(500_000 - 12_300);
    // The host's log masks the PAN it decrypted: never in clear.
    expect(host.logLines.at(-1)).toContain('pan=621234******1232 rc=00');
    expect(host.logLines.join('\n')).not.toContain(debit.pan);
  });

  it('checks the PIN against the PAN from the decrypted track: a wrong PIN is 55', async () => {
    expect(await rc(purchaseFor(debit, { cardData: 'tdes-dukpt', pin: '000000' }))).toBe('55');
  });

  it('checks the decrypted track as a swipe: a bad CVV is 05, a service code not for POS 57', async () => {
    expect(await rc(purchaseFor({ ...debit, discretionary: `999${debit.discretionary.slice(3)}` }, { cardData: 'aes-dukpt' }))).toBe('05');
    expect(await rc(purchaseFor(withValidCvv({ ...debit, serviceCode: '103' }), { cardData: 'tdes-dukpt' }))).toBe('57');
  });

  it('approves a refund and a balance inquiry from encrypted card data', async () => {
    const purchase = await host.send(purchaseFor(debit, { amountMinor: 5_000, cardData: 'tdes-dukpt' }));
    const refund = refundFor(debit, { amountMinor: 4_000, originalRrn: getText(purchase, 37)!, cardData: 'aes-dukpt' });
    expect([refund.fields.has(2), refund.fields.has(120)]).toEqual([false, true]);
    expect(await rc(refund)).toBe('00');
    expect(await rc(refundFor(debit, { amountMinor: 1_001, originalRrn: getText(purchase, 37)!, cardData: 'tdes-dukpt' }))).toBe('13');
    const inquiry = balanceInquiryFor(debit, { cardData: 'aes-dukpt' });
    const answer = await host.send(inquiry);
    expect(getText(answer, 39)).toBe('00');
    expect(getText(answer, 54)).toContain('0002156C000000499000');
  });

  it('answers 30 to card data that does not decrypt, or that comes both clear and encrypted', async () => {
    const encrypted = purchaseFor(debit, { cardData: 'tdes-dukpt' });
    const tampered = Buffer.from(encrypted.fields.get(120) as Uint8Array);
    tampered[20]! ^= 0x01;
    encrypted.fields.set(120, tampered);
    expect(await rc(encrypted)).toBe('30');
    const both = purchaseFor(debit, { cardData: 'aes-dukpt' });
    both.fields.set(2, debit.pan);
    expect(await rc(both)).toBe('30');
    // Encrypted under a key no encrypting reader of this host has: the PIN BDK's, say.
    const wrongKey = purchaseFor(debit);
    wrongKey.fields.delete(2);
    wrongKey.fields.delete(35);
    Object.entries(encryptedCardDataField({ keyType: 'tdes-dukpt', ksn: Buffer.from('FFFF9876543210E00001', 'hex'), ciphertext: Buffer.alloc(48, 0x5a) })).forEach(([field, value]) => wrongKey.fields.set(Number(field), value));
    expect(await rc(wrongKey)).toBe('30');
    expect(accountOf(host, debit.id).available).toBe(500_000);
  });
});

describe('reversals carry no card data (profile v4)', () => {
  it('finds the original by DE41 + DE90 alone, and refuses a 0400 that carries a PAN or track', async () => {
    const purchase = purchaseFor(debit, { amountMinor: 7_000, cardData: 'tdes-dukpt' });
    expect(await rc(purchase)).toBe('00');
    const withPan = reversalOf(purchase);
    withPan.fields.set(2, debit.pan);
    expect(await rc(withPan)).toBe('30');
    expect(host.logLines.some((line) => line.includes('a reversal carries no card data'))).toBe(true);
    expect(accountOf(host, debit.id).available).toBe(493_000);
    const reversal = reversalOf(purchase, { reason: '68' });
    expect(reversal.fields.has(2)).toBe(false);
    expect(await rc(reversal)).toBe('00');
    expect(accountOf(host, debit.id).available).toBe(500_000);
  });
});
