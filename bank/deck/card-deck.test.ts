import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { luhnValid } from '../../common/card/pan.ts';
import { detectScheme } from '../../common/card/scheme.ts';
import { BUNDLED_DECK_PATH } from '../start-host.ts';
import { loadCardDeck } from './card-deck.ts';

const dir = mkdtempSync(join(tmpdir(), 'card-deck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bundled = JSON.parse(readFileSync(BUNDLED_DECK_PATH, 'utf8')) as { description: string; cards: Record<string, unknown>[] };
const deck = loadCardDeck(BUNDLED_DECK_PATH);

function deckWith(change: (cards: Record<string, unknown>[]) => void): string {
  const cards = structuredClone(bundled.cards);
  change(cards);
  const path = join(dir, `deck-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ ...bundled, cards }));
  return path;
}

describe('bundled test deck', () => {
  it('has every scenario the host and station rehearse', () => {
    const summary = Object.fromEntries(deck.cards.map((card) => [card.id, `${detectScheme(card.pan)} ${card.status} ${card.account.type}`]));
    expect(summary).toMatchObject({
      'unionpay-debit-approved': 'unionpay active debit',
      'visa-credit': 'visa active credit',
      'mastercard-2series-credit': 'mastercard active credit',
      'unionpay-low-balance': 'unionpay active debit',
      'unionpay-expired': 'unionpay active debit',
      'unionpay-lost': 'unionpay lost debit',
      'mastercard-stolen': 'mastercard stolen credit',
      'unionpay-blocked': 'unionpay blocked debit',
      'amex-credit': 'amex active credit',
      'jcb-credit': 'jcb active credit',
    });
  });

  it('uses Luhn-valid PANs, a 2-series Mastercard BIN and the agreed PINs and balances', () => {
    for (const card of deck.cards) expect(luhnValid(card.pan), card.id).toBe(true);
    const byId = Object.fromEntries(deck.cards.map((card) => [card.id, card]));
    expect(Number(byId['mastercard-2series-credit']!.pan.slice(0, 4))).toBeGreaterThanOrEqual(2221);
    expect(byId['unionpay-debit-approved']).toMatchObject({ pin: '123456', account: { type: 'debit', balanceMinor: 500_000, currency: 'CNY' } });
    expect(byId['visa-credit']!.pin).toBe('1234');
    expect(byId['unionpay-low-balance']!.account).toEqual({ type: 'debit', balanceMinor: 1_000, currency: 'CNY' });
  });

  it('expires only the expired card, in 2501; the others run to 2030 or later', () => {
    for (const card of deck.cards) {
      if (card.id === 'unionpay-expired') expect(card.expiry).toBe('2501');
      else expect(Number(card.expiry.slice(0, 2)), card.id).toBeGreaterThanOrEqual(30);
    }
  });

  it('finds cards by PAN', () => {
    expect(deck.findByPan('6212345678901232')?.id).toBe('unionpay-debit-approved');
    expect(deck.findByPan('6212345678901240')).toBeUndefined();
  });
});

describe('loadCardDeck validation', () => {
  it.each([
    ['a PAN of no known scheme', (cards: Record<string, unknown>[]) => (cards[1]!.pan = '9111110000000012'), '$.cards[1].pan: PAN matches no known scheme'],
    ['a Visa PAN failing Luhn', (cards: Record<string, unknown>[]) => (cards[1]!.pan = '4111110000000014'), '$.cards[1].pan: PAN fails the Luhn check visa requires'],
    ['a duplicate PAN', (cards: Record<string, unknown>[]) => (cards[2]!.pan = cards[0]!.pan), '$.cards[2].pan: PAN already used'],
    ['a duplicate id', (cards: Record<string, unknown>[]) => (cards[3]!.id = cards[0]!.id), '$.cards[3].id: duplicate card id'],
    ['a bad expiry month', (cards: Record<string, unknown>[]) => (cards[0]!.expiry = '3013'), '$.cards[0].expiry:'],
    ['an unknown status', (cards: Record<string, unknown>[]) => (cards[0]!.status = 'frozen'), '$.cards[0].status:'],
    ['a debit account without a balance', (cards: Record<string, unknown>[]) => (cards[0]!.account = { type: 'debit', currency: 'CNY' }), '$.cards[0].account.balanceMinor:'],
  ])('rejects %s with the JSON path', (_case, change, message) => {
    const path = deckWith(change);
    expect(() => loadCardDeck(path)).toThrow(`card deck ${path} is invalid`);
    expect(() => loadCardDeck(path)).toThrow(message);
  });

  it('never quotes a PAN in its error messages', () => {
    const path = deckWith((cards) => (cards[1]!.pan = '4111110000000014'));
    expect(() => loadCardDeck(path)).not.toThrow(/4111110000000014/);
  });
});
