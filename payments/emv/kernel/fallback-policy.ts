/**
 * Chip-first and fallback, as a pure policy the station asks at each read (no state of its own:
 * the station counts the chip failures of the card in front of it and passes the count in).
 *
 *   A swiped card whose service code starts with 2 or 6 has a chip: insert it instead, unless the
 *   chip already failed `chipFailuresBeforeFallback` times for this card, in which case the swipe is
 *   a technical fallback (DE22 80x, x = the PIN entry capability digit, as for a swipe).
 *   A chip failure is a 'chip_error' outcome (mute card, unreadable data); a card removed, a
 *   cancellation, an application not accepted or blocked never opens the way to the stripe.
 */
import type { KernelOutcome } from './ports.ts';

export interface FallbackConfig {
  /** Chip failures on the same card before its stripe is accepted; 0 never falls back. */
  readonly chipFailuresBeforeFallback: number;
}

export const DEFAULT_FALLBACK: FallbackConfig = { chipFailuresBeforeFallback: 2 };

export type SwipeDecision =
  | { readonly kind: 'accept_swipe'; readonly posEntryMode: '021' }
  | { readonly kind: 'accept_fallback'; readonly posEntryMode: '801' }
  | { readonly kind: 'insert_card' };

/** A swipe: the service code from track 2, and how many chip failures this card has had in this sale. */
export function decideSwipe(serviceCode: string, chipFailures: number, config: FallbackConfig = DEFAULT_FALLBACK): SwipeDecision {
  const hasChip = serviceCode.startsWith('2') || serviceCode.startsWith('6');
  if (!hasChip) return { kind: 'accept_swipe', posEntryMode: '021' };
  if (config.chipFailuresBeforeFallback > 0 && chipFailures >= config.chipFailuresBeforeFallback) return { kind: 'accept_fallback', posEntryMode: '801' };
  return { kind: 'insert_card' };
}

/** Whether a chip outcome counts as a chip failure towards fallback. */
export function countsTowardsFallback(outcome: KernelOutcome): boolean {
  return outcome.kind === 'chip_error';
}
