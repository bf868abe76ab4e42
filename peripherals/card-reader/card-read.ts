/**
 * What a card reader hands the station per swipe: the card, or a bad read with its reason. Never a
 * guess. A plain reader (vendor HID, keyboard emulation) hands over the clear tracks ('card'), to be
 * held for one exchange; an encrypting reader (the PIN pad's head) only the masked, encrypted read
 * ('encrypted_card'), which holds no PAN or track at all.
 */
import type { EncryptedCardRead } from '../../common/card/encrypted-card-read.ts';
import { parseSwipe, type BadReadReason, type CardData } from '../../common/card/tracks.ts';

export type CardRead =
  | { readonly kind: 'card'; readonly card: CardData }
  | { readonly kind: 'encrypted_card'; readonly read: EncryptedCardRead }
  | { readonly kind: 'bad_read'; readonly reason: BadReadReason | 'malformed_report' };

/** What a plain reader hands over: clear tracks or a bad read. */
export type PlainCardRead = Exclude<CardRead, { kind: 'encrypted_card' }>;

/** Tracks 1 and 2 as the reader decoded them (track 1 empty when unread) → the card or a bad read. */
export function cardReadFromTracks(track1: string, track2: string): PlainCardRead {
  const parsed = parseSwipe(track1, track2);
  return parsed.ok ? { kind: 'card', card: parsed.card } : { kind: 'bad_read', reason: parsed.reason };
}
