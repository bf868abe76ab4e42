/** The card checks and the risk monitor in the purchase path: authorizePurchase end to end on a ledger. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDeckCard } from '../../../common/test-deck.ts';
import { createCardDeck, loadCardDeck, type CardDeck } from '../../deck/card-deck.ts';
import { openLedger, type Ledger } from '../../ledger/ledger.ts';
import { purchaseFor, TEST_BDK } from '../../purchase-fixture.ts';
import { readRiskLog } from '../../risk/risk-log.ts';
import { BUNDLED_DECK_PATH } from '../../start-host.ts';
import { authorizePurchase, type Issuer } from '../authorize-purchase.ts';
import { createTdesDukptPinVerifier } from '../pin-verifier.ts';
import { createAmountLimits } from './amount-limits.ts';
import { withCvv } from './discretionary-data.ts';
import { issuerControlsFor, withValidCvv } from './issuer-controls-fixture.ts';

const bundledDeck = loadCardDeck(BUNDLED_DECK_PATH);
const deckCard = (id: string): TestDeckCard => bundledDeck.cards.find((card) => card.id === id)!;
const unionPay = deckCard('unionpay-debit-approved');
const visa = deckCard('visa-credit');

// Cards the bundled deck has no use for, each with the CVV its stripe needs.
const luhnFailingUnionPay = withValidCvv({ ...unionPay, id: 'unionpay-luhn-failing', pan: '6212345678901233' });
const atmOnly = withValidCvv({ ...unionPay, id: 'unionpay-atm-only', pan: '6212340000000005', serviceCode: '103' });
const testCard = withValidCvv({ ...visa, id: 'visa-test-card', pan: '4111110000000021', serviceCode: '901' });
const deck: CardDeck = createCardDeck([...bundledDeck.cards, luhnFailingUnionPay, atmOnly, testCard]);

const now = () => new Date(2026, 10, 21, 10, 0);
let dataDir: string;
let ledger: Ledger;
let issuer: Issuer;
let riskLines: string[];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'card-checks-'));
  ledger = openLedger(dataDir);
  ledger.seedAccounts(deck.cards);
  riskLines = [];
  issuer = { deck, ledger, verifyPin: createTdesDukptPinVerifier(TEST_BDK), now, ...issuerControlsFor(ledger, deck, now, (line) => riskLines.push(line)) };
});

afterEach(() => {
  ledger.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const answer = (card: TestDeckCard, options: Parameters<typeof purchaseFor>[1] = {}) => authorizePurchase(purchaseFor(card, options), issuer).responseCode;

describe('CVV in track 2', () => {
  it('approves every approvable deck card: the bundled deck carries the right CVVs', () => {
    for (const id of ['unionpay-debit-approved', 'visa-credit', 'mastercard-2series-credit', 'amex-credit', 'jcb-credit']) expect(answer(deckCard(id)), id).toBe('00');
  });

  it('declines 05 when the CVV on the stripe is wrong, and leaves the balance alone', () => {
    const onStripe = unionPay.discretionary.slice(0, 3);
    const wrong = String((Number(onStripe) + 1) % 1000).padStart(3, '0');
    expect(answer({ ...unionPay, discretionary: withCvv(unionPay.discretionary, wrong) })).toBe('05');
    expect(ledger.availableMinor(unionPay.id)).toBe(500_000);
  });

  it('declines 05 when the stripe has no CVV at all', () => {
    expect(answer({ ...unionPay, discretionary: '12' })).toBe('05');
  });

  it('declines 05 when the service code was rewritten without the CVV (the CVV covers it)', () => {
    expect(answer({ ...unionPay, serviceCode: '201' })).toBe('05');
  });

  it('checks the CVV before the card status: a counterfeit of a lost card is 05', () => {
    const lost = deckCard('unionpay-lost');
    expect(answer({ ...lost, discretionary: withCvv(lost.discretionary, '000') })).toBe('05');
    expect(answer(lost)).toBe('41');
  });
});

describe('card number and scheme', () => {
  it('accepts a UnionPay PAN that fails Luhn, as the network does', () => {
    expect(answer(luhnFailingUnionPay)).toBe('00');
  });

  it('answers 14 for a Visa PAN failing Luhn, before looking it up', () => {
    expect(answer({ ...visa, pan: '4111110000000014' })).toBe('14');
  });

  it('answers 14 for a PAN of no known scheme', () => {
    expect(answer({ ...visa, pan: '9111110000000012' })).toBe('14');
  });
});

describe('service code', () => {
  it('answers 57 for an ATM-only card at a POS', () => {
    expect(answer(atmOnly)).toBe('57');
  });

  it('answers 57 for a test card (first digit 9)', () => {
    expect(answer(testCard)).toBe('57');
  });
});

describe('PIN try counter', () => {
  it('answers 55, 55, then 75 on the third wrong PIN, and 75 afterwards even for the right PIN', () => {
    expect(answer(unionPay, { pin: '111111' })).toBe('55');
    expect(answer(unionPay, { pin: '222222' })).toBe('55');
    expect(answer(unionPay, { pin: '333333' })).toBe('75');
    expect(answer(unionPay)).toBe('75');
    expect(ledger.availableMinor(unionPay.id)).toBe(500_000);
  });

  it('resets the count on a right PIN before the limit', () => {
    expect(answer(unionPay, { pin: '111111' })).toBe('55');
    expect(answer(unionPay, { pin: '222222' })).toBe('55');
    expect(answer(unionPay)).toBe('00');
    expect(answer(unionPay, { pin: '111111' })).toBe('55');
    expect(answer(unionPay, { pin: '222222' })).toBe('55');
    expect(answer(unionPay)).toBe('00');
  });

  it('survives a host restart: the count lives in the ledger database', () => {
    answer(unionPay, { pin: '111111' });
    answer(unionPay, { pin: '222222' });
    ledger.close();
    ledger = openLedger(dataDir);
    issuer = { ...issuer, ledger, ...issuerControlsFor(ledger, deck, now) };
    expect(answer(unionPay, { pin: '333333' })).toBe('75');
  });
});

describe('amount limit', () => {
  it('answers 61 above the card limit, which overrides the product limit', () => {
    issuer = { ...issuer, amountLimits: createAmountLimits({ perProductMinor: { 'unionpay-debit': 100_000 }, perCardMinor: { [visa.id]: 50_000 } }) };
    expect(answer(unionPay, { amountMinor: 100_000 })).toBe('00');
    expect(answer(unionPay, { amountMinor: 100_001 })).toBe('61');
    expect(answer(visa, { amountMinor: 50_001 })).toBe('61');
    expect(answer(visa, { amountMinor: 50_000 })).toBe('00');
  });

  it('checks the PIN before the limit', () => {
    issuer = { ...issuer, amountLimits: createAmountLimits({ perProductMinor: { 'unionpay-debit': 100 }, perCardMinor: {} }) };
    expect(answer(unionPay, { amountMinor: 101, pin: '999999' })).toBe('55');
  });
});

describe('risk rules in the purchase path', () => {
  it('declines 59 once the bundled card velocity rule fires, and logs the decision with its reason', () => {
    for (let i = 0; i < 10; i++) expect(answer(unionPay, { amountMinor: 100 })).toBe('00');
    expect(answer(unionPay, { amountMinor: 100 })).toBe('59');
    expect(riskLines.at(-1)).toMatch(/ risk decline-59 rc=59 pan=621234\*{6}1232 tid=POS00001 amount=100 reasons=card-velocity-10m: 11 card approvals in 600s/);
    expect(ledger.availableMinor(unionPay.id)).toBe(500_000 - 10 * 100);
  });

  it('declines 05 after repeated declines of the card, whatever caused them', () => {
    const lowBalance = deckCard('unionpay-low-balance');
    for (let i = 0; i < 5; i++) expect(answer(lowBalance, { amountMinor: 5_000 })).toBe('51');
    expect(answer(lowBalance, { amountMinor: 500 })).toBe('05');
  });

  it('declines 59 for a card used at more terminals than the rule allows', () => {
    for (const terminalId of ['SHOP0001', 'SHOP0002', 'SHOP0003']) expect(answer(visa, { terminalId })).toBe('00');
    expect(answer(visa, { terminalId: 'SHOP0004' })).toBe('59');
  });

  it('logs every purchase of an issued card to the risk log, masked, and none of a PAN it did not issue', () => {
    answer(unionPay);
    answer(unionPay, { pin: '999999' });
    answer({ ...visa, pan: '4111111111111111' });
    const rows = readRiskLog(ledger.db, '2000-01-01');
    expect(rows.map(({ decision, responseCode, maskedPan }) => ({ decision, responseCode, maskedPan }))).toEqual([
      { decision: 'approve', responseCode: '00', maskedPan: '621234******1232' },
      { decision: 'skipped', responseCode: '55', maskedPan: '621234******1232' },
    ]);
  });
});
