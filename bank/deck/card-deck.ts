/**
 * The issuer's card file: the test deck (common/test-deck.ts format) loaded, checked and indexed
 * by PAN. The host is stricter than the shared format: ids and PANs must be unique, and every PAN
 * must belong to a known scheme and carry a valid check digit where that scheme requires one.
 */
import { detectScheme, panCheckDigitOk } from '../../common/card/scheme.ts';
import { TestDeckSchema, type TestDeckCard } from '../../common/test-deck.ts';
import { readJsonFile } from '../json-file.ts';

const IssuerDeckSchema = TestDeckSchema.superRefine((deck, context) => {
  const ids = new Set<string>();
  const pans = new Set<string>();
  deck.cards.forEach((card, index) => {
    if (ids.has(card.id)) context.addIssue({ code: 'custom', path: ['cards', index, 'id'], message: 'duplicate card id' });
    if (pans.has(card.pan)) context.addIssue({ code: 'custom', path: ['cards', index, 'pan'], message: 'PAN already used by another card' });
    ids.add(card.id);
    pans.add(card.pan);
    const scheme = detectScheme(card.pan);
    if (scheme === undefined) context.addIssue({ code: 'custom', path: ['cards', index, 'pan'], message: 'PAN matches no known scheme BIN range and length' });
    else if (!panCheckDigitOk(card.pan, scheme)) context.addIssue({ code: 'custom', path: ['cards', index, 'pan'], message: `PAN fails the Luhn check ${scheme} requires` });
  });
});

export interface CardDeck {
  readonly cards: readonly TestDeckCard[];
  findByPan(pan: string): TestDeckCard | undefined;
}

export function createCardDeck(cards: readonly TestDeckCard[]): CardDeck {
  const byPan = new Map(cards.map((card) => [card.pan, card]));
  return { cards, findByPan: (pan) => byPan.get(pan) };
}

export function loadCardDeck(path: string): CardDeck {
  return createCardDeck(readJsonFile(path, IssuerDeckSchema, 'card deck').cards);
}
