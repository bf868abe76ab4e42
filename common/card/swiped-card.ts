/**
 * A swiped card as the station holds it during one payment: clear from a plain reader (CardData:
 * PAN and track 2, as with a keyboard-wedge reader), or masked and encrypted from an encrypting
 * reader (EncryptedCardRead: the PIN pad's own stripe head). What the checkout needs of either, the
 * masked PAN and the scheme, comes from here, so a flow treats both alike and never asks an
 * encrypted read for a PAN it does not have.
 */
import type { EncryptedCardRead } from './encrypted-card-read.ts';
import { maskPan } from './pan.ts';
import { detectScheme, detectSchemeByBin, type CardScheme } from './scheme.ts';
import type { CardData } from './tracks.ts';

export type SwipedCard = CardData | EncryptedCardRead;

export function isEncryptedRead(card: SwipedCard): card is EncryptedCardRead {
  return 'encrypted' in card;
}

/** First 6 and last 4 digits at most. */
export function swipedMaskedPan(card: SwipedCard): string {
  return isEncryptedRead(card) ? card.maskedPan : maskPan(card.pan);
}

/** The scheme: from the PAN when clear, from the BIN and the PAN's length when encrypted. */
export function swipedScheme(card: SwipedCard): CardScheme | undefined {
  return isEncryptedRead(card) ? detectSchemeByBin(card.bin, card.maskedPan.length) : detectScheme(card.pan);
}
