/**
 * One job at a time at the till: a card transaction, a void or an end-of-day settlement. A void or
 * a settlement in the middle of a sale would change the batch the sale is joining, and the card
 * reader and PIN pad serve one customer at a time anyway.
 */
import { IpcRejection } from '../ipc/dispatcher.ts';

export class TillLock {
  #holder: string | undefined;

  /** Takes the till for `job` ("a card payment", "a settlement"); the returned function gives it back. */
  acquire(job: string): () => void {
    if (this.#holder !== undefined) throw new IpcRejection('busy', `${this.#holder} is already in progress`);
    this.#holder = job;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holder = undefined;
    };
  }
}
