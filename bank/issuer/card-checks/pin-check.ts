/**
 * Online PIN verification with the PIN try limit (profile v2: DE39 55 wrong PIN, 75 PIN tries
 * exceeded):
 *  - a wrong PIN answers 55 and counts; a correct PIN before the limit resets the count;
 *  - the wrong PIN that reaches the limit (the 3rd in a row) answers 75;
 *  - from then on every PIN transaction of the card answers 75 without the PIN being decrypted,
 *    correct or not, until the count starts again on the issuer's next day (pin-try-counter.ts).
 *    A lock a correct guess could lift would tell an attacker exactly when he guessed right.
 */
import type { TestDeckCard } from '../../../common/test-deck.ts';
import type { PinVerifier } from '../pin-verifier.ts';
import { RESPONSE_CODE, type ResponseCode } from '../response-codes.ts';
import type { PinTryCounter } from './pin-try-counter.ts';

export const PIN_TRY_LIMIT = 3;

export interface PinEntry {
  readonly pinBlock: Buffer;
  readonly ksn: Buffer;
}

/** undefined when the PIN is right; otherwise the decline code. */
export function checkPin(entry: PinEntry, card: TestDeckCard, verifyPin: PinVerifier, pinTries: PinTryCounter, now: Date): ResponseCode | undefined {
  const wrongSoFar = pinTries.wrongInRow(card.id, now);
  if (wrongSoFar >= PIN_TRY_LIMIT) return RESPONSE_CODE.pinTriesExceeded;
  if (verifyPin({ pinBlock: entry.pinBlock, ksn: entry.ksn, pan: card.pan, expectedPin: card.pin })) {
    if (wrongSoFar > 0) pinTries.reset(card.id);
    return undefined;
  }
  return pinTries.recordWrong(card.id, now) >= PIN_TRY_LIMIT ? RESPONSE_CODE.pinTriesExceeded : RESPONSE_CODE.incorrectPin;
}
