/**
 * Connects the card reader's stream of reads to a sale waiting for a card. A swipe with no sale
 * waiting is dropped on purpose: it must not be held and charged to the next customer.
 */
import type { BadReadReason, CardData } from '../../common/card/tracks.ts';
import type { CardRead } from '../../peripherals/card-reader/card-read.ts';
import type { CardReaderPort } from '../checkout/ports.ts';
import { DeviceReads } from './device-reads.ts';

export class CardReads extends DeviceReads<CardRead> {}

export function cardReaderPort(reads: CardReads): CardReaderPort {
  return {
    nextCard(signal, onBadRead: (reason: BadReadReason | 'malformed_report') => void) {
      return new Promise<CardData>((resolve, reject) => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        const stop = reads.subscribe((read) => {
          if (read.kind === 'bad_read') {
            onBadRead(read.reason);
            return;
          }
          // This port serves the plain reader's flow (clear tracks); an encrypted read is not its to take.
          if (read.kind === 'encrypted_card') return;
          finish();
          resolve(read.card);
        });
        const onAbort = () => {
          finish();
          reject(signal.reason);
        };
        const finish = () => {
          stop();
          signal.removeEventListener('abort', onAbort);
        };
        signal.addEventListener('abort', onAbort);
      });
    },
  };
}
