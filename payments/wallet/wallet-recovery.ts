/**
 * Start-up recovery of wallet payments the station left unsettled (a crash, a kill -9, a power
 * cut, or a reversal the platform never confirmed): every payment still "started", "pending" or
 * "reversing" on record is reversed, since no sale was completed with it. The platform's reversal
 * is idempotent and also bars an order that never arrived, so after recovery the station's record
 * and the wallet agree: not paid, or paid and given back. Run it at start, and again later for any
 * that stay "reversal pending" (the platform was unreachable).
 */
import { reverseOrder, type FlowContext, type ReversalOutcome } from './flow-support.ts';

export interface RecoveredPayment {
  readonly outTradeNo: string;
  readonly stateBefore: string;
  readonly outcome: ReversalOutcome;
}

export async function recoverWalletPayments(context: FlowContext, retryDelaysMs: readonly number[] = [1_000, 2_000, 5_000]): Promise<RecoveredPayment[]> {
  const recovered: RecoveredPayment[] = [];
  for (const payment of context.store.unfinished()) {
    const outcome = await reverseOrder(context, payment.outTradeNo, `unsettled at start-up (was ${payment.state})`, retryDelaysMs);
    recovered.push({ outTradeNo: payment.outTradeNo, stateBefore: payment.state, outcome });
  }
  return recovered;
}
