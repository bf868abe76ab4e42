/**
 * The issuer's card secrets and counters the card checks use: card verification keys by BIN and the
 * PIN try counter. (The PIN itself is checked by the DUKPT PIN verifier.)
 */
import { timingSafeEqual } from 'node:crypto';
import type { CardData } from '../../../common/card/tracks.ts';
import { computeCvv } from './cvv.ts';
import type { CvkTable } from './cvk-table.ts';
import { cvvOnStripe } from './discretionary-data.ts';
import type { PinTryCounter } from './pin-try-counter.ts';

export interface CardSecurity {
  readonly cvks: CvkTable;
  readonly pinTries: PinTryCounter;
}

/**
 * Whether the CVV in the track's discretionary data is the one the issuer's CVK gives for the
 * track's PAN, expiry and service code. A track without a CVV, or of a BIN without a CVK, fails.
 */
export function trackCvvValid(track2: CardData, cvks: CvkTable): boolean {
  const cvk = cvks.cvkFor(track2.pan);
  const onStripe = cvvOnStripe(track2.discretionary);
  if (cvk === undefined || onStripe === undefined) return false;
  const expected = computeCvv(cvk, track2);
  return timingSafeEqual(Buffer.from(onStripe), Buffer.from(expected));
}
