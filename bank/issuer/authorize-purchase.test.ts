import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDeckCard } from '../../common/test-deck.ts';
import type { IsoMessage } from '../../payments/iso8583/message.ts';
import { loadCardDeck, type CardDeck } from '../deck/card-deck.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { purchaseFor } from '../purchase-fixture.ts';
import { BUNDLED_DECK_PATH } from '../start-host.ts';
import { authorizePurchase, type Issuer } from './authorize-purchase.ts';
import { openTestIssuer, withValidCvv } from './card-checks/issuer-controls-fixture.ts';

const deck: CardDeck = loadCardDeck(BUNDLED_DECK_PATH);
const card = (id: string): TestDeckCard => {
  const found = deck.cards.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no deck card ${id}`);
  return found;
};
const approvedCard = card('unionpay-debit-approved');

let ledger: Ledger;
let issuer: Issuer;
let close: () => void;

beforeEach(() => {
  ({ issuer, ledger, close } = openTestIssuer(deck));
});

afterEach(() => close());

function withField(message: IsoMessage, field: number, value: string | Uint8Array | undefined): IsoMessage {
  if (value === undefined) message.fields.delete(field);
  else message.fields.set(field, value);
  return message;
}

describe('authorizePurchase', () => {
  it('approves a good purchase with an approval code and RRN, and debits the account', () => {
    const decision = authorizePurchase(purchaseFor(approvedCard, { amountMinor: 12_345 }), issuer);
    expect(decision.responseCode).toBe('00');
    expect(decision.approvalCode).toMatch(/^\d{6}$/);
    expect(decision.rrn).toMatch(/^\d{12}$/);
    expect(ledger.availableMinor(approvedCard.id)).toBe(500_000 - 12_345);
  });

  it('gives every approval a different RRN', () => {
    const rrns = new Set([1, 2, 3].map(() => authorizePurchase(purchaseFor(approvedCard), issuer).rrn));
    expect(rrns.size).toBe(3);
  });

  it.each([2, 3, 4, 7, 11, 12, 13, 22, 25, 35, 41, 42, 49, 52, 53])('answers 30 when mandatory DE%i is missing', (field) => {
    expect(authorizePurchase(withField(purchaseFor(approvedCard), field, undefined), issuer).responseCode).toBe('30');
  });

  it('answers 30 when track 2 does not parse', () => {
    expect(authorizePurchase(withField(purchaseFor(approvedCard), 35, '6212345678901232'), issuer).responseCode).toBe('30');
  });

  it('answers 12 for a processing code other than purchase', () => {
    expect(authorizePurchase(withField(purchaseFor(approvedCard), 3, '200000'), issuer).responseCode).toBe('12');
  });

  it('answers 14 for a PAN not on file', () => {
    const stranger = { ...approvedCard, pan: '6212345678901240' };
    expect(authorizePurchase(purchaseFor(stranger), issuer).responseCode).toBe('14');
  });

  it('answers 05 when track 2 disagrees with the card on file (PAN or expiry)', () => {
    const otherExpiry = purchaseFor({ ...approvedCard, expiry: '3111' });
    expect(authorizePurchase(otherExpiry, issuer).responseCode).toBe('05');
    const otherPan = withField(purchaseFor(approvedCard), 2, card('visa-credit').pan);
    expect(authorizePurchase(otherPan, issuer).responseCode).toBe('05');
  });

  it.each([
    ['unionpay-lost', '41'],
    ['mastercard-stolen', '43'],
    ['unionpay-blocked', '57'],
    ['unionpay-expired', '54'],
  ])('answers %s with %s', (id, code) => {
    expect(authorizePurchase(purchaseFor(card(id)), issuer).responseCode).toBe(code);
  });

  it('checks status before PIN: a lost card with a wrong PIN is still 41', () => {
    expect(authorizePurchase(purchaseFor(card('unionpay-lost'), { pin: '000000' }), issuer).responseCode).toBe('41');
  });

  it('treats expiry as valid through the end of its month', () => {
    const expiringCard = withValidCvv({ ...approvedCard, expiry: '2611' });
    const atExpiry = { ...issuer, deck: { cards: [expiringCard], findByPan: () => expiringCard } };
    expect(authorizePurchase(purchaseFor(expiringCard), { ...atExpiry, now: () => new Date(2026, 10, 30, 23, 59) }).responseCode).toBe('00');
    expect(authorizePurchase(purchaseFor(expiringCard), { ...atExpiry, now: () => new Date(2026, 11, 1, 0, 0) }).responseCode).toBe('54');
  });

  it('answers 12 when the currency is not the account currency', () => {
    expect(authorizePurchase(withField(purchaseFor(approvedCard), 49, '840'), issuer).responseCode).toBe('12');
    expect(authorizePurchase(withField(purchaseFor(approvedCard), 49, '999'), issuer).responseCode).toBe('12');
  });

  it('answers 13 for a zero amount', () => {
    expect(authorizePurchase(purchaseFor(approvedCard, { amountMinor: 0 }), issuer).responseCode).toBe('13');
  });

  it('answers 55 for a wrong PIN, and leaves the balance alone', () => {
    expect(authorizePurchase(purchaseFor(approvedCard, { pin: '654321' }), issuer).responseCode).toBe('55');
    expect(ledger.availableMinor(approvedCard.id)).toBe(500_000);
  });

  it('answers 55 when the PIN block does not decrypt to format 0 (wrong key or tampering)', () => {
    const request = purchaseFor(approvedCard);
    withField(request, 52, Buffer.alloc(8, 0x5a));
    expect(authorizePurchase(request, issuer).responseCode).toBe('55');
  });

  it('answers 55 for a KSN no DUKPT device could send', () => {
    const request = withField(purchaseFor(approvedCard), 53, Buffer.from('FFFF9876543210E7FFFF', 'hex'));
    expect(authorizePurchase(request, issuer).responseCode).toBe('55');
  });

  it('answers 51 when the amount exceeds the balance, and 00 for exactly the balance', () => {
    const lowBalance = card('unionpay-low-balance');
    expect(authorizePurchase(purchaseFor(lowBalance, { amountMinor: 1_001 }), issuer).responseCode).toBe('51');
    expect(authorizePurchase(purchaseFor(lowBalance, { amountMinor: 1_000 }), issuer).responseCode).toBe('00');
    expect(ledger.availableMinor(lowBalance.id)).toBe(0);
    expect(authorizePurchase(purchaseFor(lowBalance, { amountMinor: 1 }), issuer).responseCode).toBe('51');
  });

  it('draws credit cards down against their limit', () => {
    const visa = card('visa-credit');
    expect(authorizePurchase(purchaseFor(visa, { amountMinor: 1_999_000 }), issuer).responseCode).toBe('00');
    expect(authorizePurchase(purchaseFor(visa, { amountMinor: 1_001 }), issuer).responseCode).toBe('51');
    expect(ledger.availableMinor(visa.id)).toBe(1_000);
  });
  it('declines 57 a chip card (service code 2xx) read by its stripe as a plain swipe, and approves its technical fallback (DE22 801)', () => {
    const chipCard = card('unionpay-chip-debit');
    expect(chipCard.serviceCode.startsWith('2')).toBe(true);
    expect(authorizePurchase(withField(purchaseFor(chipCard), 22, '021'), issuer).responseCode).toBe('57');
    expect(authorizePurchase(withField(purchaseFor(chipCard), 22, '801'), issuer).responseCode).toBe('00');
  });
});
