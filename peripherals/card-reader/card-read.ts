/** What a card reader hands the station per swipe: the card, or a bad read with its reason. Never a guess. */
import { parseSwipe, type BadReadReason, type CardData } from '../../common/card/tracks.ts';

export type CardRead = { readonly kind: 'card'; readonly card: CardData } | { readonly kind: 'bad_read'; readonly reason: BadReadReason | 'malformed_report' };

/** Tracks 1 and 2 as the reader decoded them (track 1 empty when unread) → the card or a bad read. */
export function cardReadFromTracks(track1: string, track2: string): CardRead {
  const parsed = parseSwipe(track1, track2);
  return parsed.ok ? { kind: 'card', card: parsed.card } : { kind: 'bad_read', reason: parsed.reason };
}
