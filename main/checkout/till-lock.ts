/**
 * One job at a time at the till: a tender's payment flow, a refund, a void or an end-of-day
 * settlement. A void or a settlement in the middle of a payment would change the batch the payment
 * is joining, and the card reader and PIN pad serve one customer at a time anyway.
 */
import { SaleError } from '../sales/sale-error.ts';

export class TillLock {
  #holder: string | undefined;

  get holder(): string | undefined {
    return this.#holder;
  }

  /** Takes the till for `job` ("a card payment", "a settlement"); the returned function gives it back. */
  acquire(job: string): () => void {
    if (this.#holder !== undefined) throw new SaleError('busy', `${this.#holder} is already in progress`);
    this.#holder = job;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holder = undefined;
    };
  }
}
