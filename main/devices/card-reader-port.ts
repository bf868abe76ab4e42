/**
 * Connects the stream of swipes (from the one device that reads cards, devices.stripeReader) to a
 * sale waiting for a card. A swipe with no sale waiting is dropped on purpose: it must not be held
 * and charged to the next customer. A plain reader's swipe comes clear, the PIN pad head's masked
 * and encrypted; the flow treats both alike (common/card/swiped-card.ts).
 */
import type { SwipedCard } from '../../common/card/swiped-card.ts';
import type { BadReadReason } from '../../common/card/tracks.ts';
import type { CardRead } from '../../peripherals/card-reader/card-read.ts';
import type { CardReaderPort } from '../checkout/ports.ts';
import { DeviceReads } from './device-reads.ts';
import { waitForRead } from './wait-for-read.ts';

export class CardReads extends DeviceReads<CardRead> {}

export function cardReaderPort(reads: CardReads): CardReaderPort {
  return {
    nextCard(signal, onBadRead: (reason: BadReadReason | 'malformed_report') => void) {
      return waitForRead<SwipedCard>(signal, (take) =>
        reads.subscribe((read) => {
          if (read.kind === 'bad_read') onBadRead(read.reason);
          else take(read.kind === 'encrypted_card' ? read.read : read.card);
        }),
      );
    },
  };
}
