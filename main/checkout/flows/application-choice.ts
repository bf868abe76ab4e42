/**
 * An inserted card with several applications (a debit and a credit one, say): the kernel asks, the
 * cashier's screen lists them in priority order, the cashier asks the customer and picks one
 * (checkout contract `chooseApplication`). One choice is pending at a time (one tender runs at a
 * time); a cancelled payment answers 'cancelled'. The customer display may show the same list
 * read-only from the payment's progress. Choosing on the PIN pad's own display is not implemented.
 */
import type { ApplicationChoicePort, CandidateApplication } from '../../../payments/emv/kernel/ports.ts';

export class CashierApplicationChoice implements ApplicationChoicePort {
  #pending: { readonly count: number; answer(choice: number | 'cancelled'): void } | undefined;

  choose(candidates: readonly CandidateApplication[], signal: AbortSignal): Promise<number | 'cancelled'> {
    return new Promise((resolve) => {
      const onAbort = () => answer('cancelled');
      const answer = (choice: number | 'cancelled') => {
        signal.removeEventListener('abort', onAbort);
        this.#pending = undefined;
        resolve(choice);
      };
      if (signal.aborted) {
        resolve('cancelled');
        return;
      }
      this.#pending = { count: candidates.length, answer };
      signal.addEventListener('abort', onAbort);
    });
  }

  /** The cashier's pick; false when no choice is pending or the index is not in the list. */
  pick(index: number): boolean {
    const pending = this.#pending;
    if (!pending || index < 0 || index >= pending.count) return false;
    pending.answer(index);
    return true;
  }
}
