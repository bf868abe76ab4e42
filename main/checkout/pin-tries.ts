/**
 * Another PIN attempt when the host says the PIN was wrong. On DE39 55 the station asks the PIN pad
 * again (the pad prompts "wrong PIN, again") and sends a new request with the new block, as long as
 * the host keeps answering 55. The host owns the limit: it answers 75 on the wrong PIN that
 * reaches it (the third in a row for the bundled host), which ends the payment declined. The
 * checkout's own cap (CheckoutSettings.pinAttemptsPerPayment) only stops a host that never says 75
 * from keeping a customer at the pad; without it a wrong PIN declines the payment at once.
 *
 * Every attempt is a 0200 of its own, with its own STAN and journal row: the journal keeps one row
 * per request, so a second attempt's row is keyed "<paymentId>/pin-2" and the 55 stays on record.
 */

/** DE39 "incorrect PIN". */
export const INCORRECT_PIN = '55';
/** What the station allows: as many PINs as the host's own limit. */
export const STATION_PIN_ATTEMPTS = 3;

export function offersAnotherPinTry(responseCode: string, attempt: number, allowedAttempts: number): boolean {
  return responseCode === INCORRECT_PIN && attempt < allowedAttempts;
}

/** The journal key of one attempt's request: the payment's own id for the first. */
export function attemptKey(paymentId: string, attempt: number): string {
  return attempt === 1 ? paymentId : `${paymentId}/pin-${attempt}`;
}
