/**
 * Per-transaction amount limits (DE39 61 "exceeds withdrawal amount limit"): the card's own limit
 * when configured, else its product's (scheme + account type), else none. A limit caps one purchase;
 * what the account can pay in total is the ledger's business (51).
 */
import { detectScheme } from '../../../common/card/scheme.ts';
import type { TestDeckCard } from '../../../common/test-deck.ts';
import type { AmountLimitsConfig } from './card-checks-config.ts';

export interface AmountLimits {
  /** Largest purchase the card may make, in minor units; undefined when unlimited. */
  limitFor(card: TestDeckCard): number | undefined;
}

export function createAmountLimits(config: AmountLimitsConfig): AmountLimits {
  const perProduct: Readonly<Record<string, number | undefined>> = config.perProductMinor;
  const perCard: Readonly<Record<string, number | undefined>> = config.perCardMinor;
  return {
    limitFor(card) {
      return Object.hasOwn(perCard, card.id) ? perCard[card.id] : perProduct[`${detectScheme(card.pan)}-${card.account.type}`];
    },
  };
}
