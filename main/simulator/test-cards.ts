/** Loads the test card deck the bundled host issues, so the virtual reader swipes the same cards. */
import { readFileSync } from 'node:fs';
import { detectScheme } from '../../common/card/scheme.ts';
import { maskPan } from '../../common/card/pan.ts';
import type { TestCard } from '../../common/ipc/simulator-contract.ts';
import { TestDeckSchema, type TestDeckCard } from '../../common/test-deck.ts';
import { ConfigError } from '../config/station-config.ts';

export function loadTestDeck(path: string): TestDeckCard[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the test card deck ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = TestDeckSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new ConfigError(`${path} is not a valid test card deck:\n${problems}`);
  }
  return parsed.data.cards;
}

/** What the simulated-devices panel shows of a card: masked, with its test PIN. */
export function describeTestCard(card: TestDeckCard): TestCard {
  const scheme = detectScheme(card.pan);
  return {
    id: card.id,
    label: card.label,
    maskedPan: maskPan(card.pan),
    testPin: card.pin,
    ...(scheme ? { scheme } : {}),
    ...(card.chip ? { chip: { contact: card.chip.contact, contactless: card.chip.contactless } } : {}),
  };
}
