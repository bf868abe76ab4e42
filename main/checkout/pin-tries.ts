/**
 * Another PIN attempt when the host says the PIN was wrong. On DE39 55 the station asks the PIN pad
 * again (the pad prompts "wrong PIN, again") and sends a new request with the new block, as long as
 * the host keeps answering 55. The host owns the limit: it answers 75 on the wrong PIN that
 * reaches it (the third in a row for the bundled host), which ends the payment declined. The
 * station's own cap (STATION_PIN_ATTEMPTS) only stops a host that never says 75 from keeping a
 * customer at the pad.
 *
 * Every attempt is a 0200 of its own, with its own STAN, journaled as a leg of the same card tender
 * (attempt 1, 2, …): the 55 stays on record, and the tender, not the attempt, is what the reports count.
 */
import { RESPONSE_CODES } from '../../payments/iso8583/profile.ts';

/** What the station allows: as many PINs as the host's own limit. */
export const STATION_PIN_ATTEMPTS = 3;

export function offersAnotherPinTry(responseCode: string, attempt: number, allowedAttempts: number): boolean {
  return responseCode === RESPONSE_CODES.incorrectPin && attempt < allowedAttempts;
}
