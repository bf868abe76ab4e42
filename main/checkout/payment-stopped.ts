/** How a card transaction ends short of an answer from the host: cancelled or failed, with the reason the cashier is shown. */
import type { PaymentFailure } from '../../common/payment.ts';

export class PaymentStopped extends Error {
  readonly step: 'cancelled' | 'failed';
  readonly failure: PaymentFailure;

  constructor(step: 'cancelled' | 'failed', failure: PaymentFailure) {
    super(failure);
    this.step = step;
    this.failure = failure;
  }
}
