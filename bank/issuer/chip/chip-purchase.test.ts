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

const deck = loadCardDeck(BUNDLED_DECK_PATH);

let issuer: Issuer;
let close: () => void;

beforeEach(() => {
  ({ issuer, close } = openTestIssuer(deck));
});

afterEach(() => close());

/** A tap's online request from the card's own kernel run (no PIN: under the CVM limit). */
const tapRequest = (cardId: string, amountMinor = 2_000): Promise<OnlineRequest> => onlineRequestOf(cardId, 'contactless', amountMinor);

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
});
