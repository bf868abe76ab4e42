/**
 * Chip failures on the card in front of the cashier, for the fallback rule
 * (payments/emv/kernel/fallback-policy.ts): a chip that could not be used (mute, unreadable) counts;
 * after `chipFailuresBeforeFallback` of them a swipe of the same card is a technical fallback
 * (DE22 801). The count lives in the station, not in one tender: a chip error ends its tender, and
 * the cashier starts the next one for the swipe. A chip that worked, or a fallback swipe that was
 * used, starts the count again; so does a different card (a fallback is for the card whose chip failed).
 */
export class ChipFailures {
  #count = 0;
  #lastPan: string | undefined;

  /** The chip failed (the card's PAN is unknown: it could not be read). */
  failed(): void {
    this.#count += 1;
  }

  /** A chip was read (its PAN known, masked: an encrypting reader's swipe has no other): the chip works, no fallback for it. */
  chipRead(maskedPan: string): void {
    this.#count = 0;
    this.#lastPan = maskedPan;
  }

  /** Chip failures that count for the swiped card `maskedPan`. */
  countFor(maskedPan: string): number {
    return this.#lastPan === maskedPan ? 0 : this.#count;
  }

  /** A fallback swipe went to the host: the next card starts afresh. */
  fallbackUsed(): void {
    this.#count = 0;
    this.#lastPan = undefined;
  }
}
