/** The host's chip checks through authorizePurchase, with requests built by a real kernel run. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chipRequestFields } from '../../../payments/emv/iso8583-chip-fields.ts';
import type { OnlineRequest } from '../../../payments/emv/kernel/ports.ts';
import { buildTlv, parseTlv } from '../../../payments/emv/tlv.ts';
import { readIccData } from '../../../payments/iso8583/icc-data-field.ts';
import { createMessage, type IsoMessage } from '../../../payments/iso8583/message.ts';
import { loadCardDeck } from '../../deck/card-deck.ts';
import { BUNDLED_DECK_PATH } from '../../start-host.ts';
import { authorizePurchase, type Issuer } from '../authorize-purchase.ts';
import { openTestIssuer } from '../card-checks/issuer-controls-fixture.ts';
import { onlineRequestOf } from '../../../payments/emv/kernel/kernel-test-rig.fixture.ts';
import type { Ledger } from '../../ledger/ledger.ts';

const deck = loadCardDeck(BUNDLED_DECK_PATH);

let issuer: Issuer;
let close: () => void;
let ledger: Ledger;

beforeEach(() => {
  ({ issuer, close, ledger } = openTestIssuer(deck));
});

const lastRiskReasons = () => (ledger.db.prepare('SELECT reasons FROM risk_log ORDER BY id DESC LIMIT 1').get() as { reasons: string } | undefined)?.reasons;

afterEach(() => close());

/** A tap's online request from the card's own kernel run (no PIN: under the CVM limit). */
const tapRequest = (cardId: string, amountMinor = 2_000): Promise<OnlineRequest> => onlineRequestOf(cardId, 'contactless', amountMinor);
/** An insert's online request (the kernel asked for the PIN: the rig's PIN pad typed one). */
const insertRequest = (cardId: string, amountMinor: number): Promise<OnlineRequest> => onlineRequestOf(cardId, 'contact', amountMinor);
const withTag = (request: OnlineRequest, tag: string, value: string) => buildTlv(parseTlv(request.iccData).map((entry) => [entry.tag, entry.tag === tag ? Buffer.from(value, 'hex') : entry.value] as const));

const purchase = (request: OnlineRequest, change: (fields: Record<number, string | Uint8Array>) => void = () => undefined): IsoMessage => {
  const fields: Record<number, string | Uint8Array> = { ...chipRequestFields(request), 3: '000000', 4: String(request.amount.amountMinor).padStart(12, '0'), 7: '1121100000', 11: '000001', 12: '100000', 13: '1121', 25: '00', 41: 'POS00001', 42: '898310048160001', 49: '156' };
  change(fields);
  return createMessage('0200', fields);
};

describe('chip purchases at the issuer', () => {
  it('approves a tap without PIN (CVM results: no CVM) and answers with tag 91', async () => {
    const decision = authorizePurchase(purchase(await tapRequest('unionpay-chip-debit')), issuer);
    expect(decision.responseCode).toBe('00');
    const answer = readIccData(decision.iccData!);
    expect(answer.tags.get('91')?.length).toBe(10);
    expect(answer.tags.get('91')!.subarray(8).toString('ascii')).toBe('00');
  });

  it('answers method 2 (ARPC ‖ CSU) for Visa CVN 18', async () => {
    const decision = authorizePurchase(purchase(await tapRequest('visa-chip-credit')), issuer);
    expect(decision.responseCode).toBe('00');
    expect(readIccData(decision.iccData!).tags.get('91')!.subarray(4).toString('hex')).toBe('00800000');
  });

  it('declines 05 when the track 2 equivalent data carries the stripe CVV instead of the iCVV', async () => {
    const request = await tapRequest('unionpay-chip-debit');
    const stripe = deck.findByPan(request.pan)!;
    const decision = authorizePurchase(purchase(request, (fields) => (fields[35] = `${stripe.pan}=${stripe.expiry}${stripe.serviceCode}${stripe.discretionary}`)), issuer);
    expect(decision.responseCode).toBe('05');
  });

  it('declines 82 when DE55 was changed in transit (the amount under the cryptogram)', async () => {
    const request = await tapRequest('unionpay-chip-debit');
    const tags = parseTlv(request.iccData).map((entry) => [entry.tag, entry.tag === '9F02' ? Buffer.from('000000009999', 'hex') : entry.value] as const);
    expect(authorizePurchase(purchase(request, (fields) => (fields[55] = buildTlv(tags))), issuer).responseCode).toBe('82');
  });

  it('refuses a chip request whose CVM results say online PIN but that carries none (30)', async () => {
    const request = await tapRequest('unionpay-chip-debit');
    const tags = parseTlv(request.iccData).map((entry) => [entry.tag, entry.tag === '9F34' ? Buffer.from('020000', 'hex') : entry.value] as const);
    expect(authorizePurchase(purchase(request, (fields) => (fields[55] = buildTlv(tags))), issuer).responseCode).toBe('30');
  });

  it('sends no ARPC when the cryptogram did not verify (82): the issuer cannot authenticate itself to a card it cannot authenticate', async () => {
    const decision = authorizePurchase(purchase(await tapRequest('unionpay-chip-wrong-key')), issuer);
    expect(decision).toEqual({ responseCode: '82', maskedPan: '621483******0015' });
  });

  it('logs the issuer script results (DF31) of the previous transaction that did not succeed, and still approves', async () => {
    const request = await tapRequest('unionpay-chip-debit');
    const df31 = Buffer.from('2000000001' + '1200000002', 'hex'); // script 1 successful, script 2 failed at its second command
    const decision = authorizePurchase(purchase(request, (fields) => (fields[55] = Buffer.concat([request.iccData, buildTlv([['DF31', df31]])]))), issuer);
    expect(decision.responseCode).toBe('00');
    expect(lastRiskReasons()).toMatch(/issuer-script-result: script 00000002 failed at command 2 on the card/);
    expect(lastRiskReasons()).not.toMatch(/00000001/);
  });

  describe('the cryptogram is bound to the request (DE4, DE49, DE3, the terminal country)', () => {
    it('declines 82 a request whose DE4 charges more than the 9F02 the card signed, and logs why', async () => {
      const request = await tapRequest('unionpay-chip-debit', 2_000);
      const decision = authorizePurchase(purchase(request, (fields) => (fields[4] = '000000400000')), issuer);
      expect(decision).toMatchObject({ responseCode: '82' });
      expect(decision.iccData).toBeUndefined();
      expect(lastRiskReasons()).toMatch(/arqc-binding: 9F02 000000002000 ≠ DE4 000000400000/);
      expect(ledger.db.prepare('SELECT COUNT(*) AS n FROM transactions').get()).toEqual({ n: 0 });
    });

    it('declines 82 when the currency under the cryptogram (5F2A) is not DE49', async () => {
      const request = await tapRequest('unionpay-chip-debit');
      expect(authorizePurchase(purchase(request, (fields) => (fields[55] = withTag(request, '5F2A', '0840'))), issuer).responseCode).toBe('82');
      expect(lastRiskReasons()).toMatch(/5F2A 0840 ≠ DE49 0156/);
    });

    it('declines 82 when DE3 names another transaction type than 9C (a refund signed as a purchase)', async () => {
      const request = await tapRequest('unionpay-chip-debit');
      expect(authorizePurchase(purchase(request, (fields) => (fields[55] = withTag(request, '9C', '20'))), issuer).responseCode).toBe('82');
      expect(lastRiskReasons()).toMatch(/9C 20 ≠ DE3 00/);
    });

    it('declines 82 a cryptogram made at a terminal in another country than the acquirer\'s (9F1A), and one with a cashback amount (9F03)', async () => {
      const request = await tapRequest('unionpay-chip-debit');
      expect(authorizePurchase(purchase(request, (fields) => (fields[55] = withTag(request, '9F1A', '0840'))), issuer).responseCode).toBe('82');
      expect(lastRiskReasons()).toMatch(/9F1A 0840 ≠ the terminal country 0156/);
      expect(authorizePurchase(purchase(request, (fields) => (fields[55] = withTag(request, '9F03', '000000000500'))), issuer).responseCode).toBe('82');
      expect(lastRiskReasons()).toMatch(/9F03 000000000500 ≠ no cashback/);
    });

    it('declines 82 a 9F10 announcing another cryptogram version than the card was personalised with', async () => {
      const request = await tapRequest('unionpay-chip-debit');
      const visaIad = '06011203A0B800';
      expect(authorizePurchase(purchase(request, (fields) => (fields[55] = withTag(request, '9F10', visaIad))), issuer).responseCode).toBe('82');
      expect(lastRiskReasons()).toMatch(/9F10 announces visa-cvn18, the card was personalised with unionpay-cvn01/);
    });
  });

  describe("the issuer's CVM policy, not the request's 9F34", () => {
    it('declines 55 an insert sent without its PIN and with 9F34 rewritten to "no CVM" (CVM downgrade)', async () => {
      const request = await insertRequest('unionpay-chip-debit', 300_000);
      expect(request.pin).toBeDefined();
      const downgraded = (fields: Record<number, string | Uint8Array>) => {
        for (const field of [52, 53, 111]) delete fields[field];
        fields[55] = withTag(request, '9F34', '1F0002');
      };
      expect(authorizePurchase(purchase(request, downgraded), issuer).responseCode).toBe('55');
      expect(lastRiskReasons()).toMatch(/cvm: a contact purchase needs the online PIN/);
    });

    it('declines 55 a tap above the no-CVM limit that carries no PIN; 1,000.00 CNY itself goes without', async () => {
      const above = await tapRequest('unionpay-chip-debit', 100_001);
      const request = above.pin ? { ...above, pin: undefined } : above;
      const withoutPin = (fields: Record<number, string | Uint8Array>) => {
        for (const field of [52, 53, 111]) delete fields[field];
        fields[55] = withTag(request, '9F34', '1F0002');
      };
      expect(authorizePurchase(purchase(request, withoutPin), issuer).responseCode).toBe('55');
      expect(lastRiskReasons()).toMatch(/cvm: a tap of 100001 is above the no-CVM limit 100000/);
      expect(authorizePurchase(purchase(await tapRequest('visa-chip-credit', 100_000)), issuer).responseCode).toBe('00');
    });
  });
});
