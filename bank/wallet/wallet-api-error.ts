/** A refusal of the wallet API: its code (docs/wallet-api.md), HTTP status and message. */
import { ERROR_CODES, type ErrorBody, type ErrorCode, type TradeState } from '../../payments/wallet/wallet-api.ts';

export class WalletApiError extends Error {
  override name = 'WalletApiError';
  readonly code: ErrorCode;
  /** Set when the refusal is a failed payment: the order's state now (PAYERROR). */
  readonly tradeState: TradeState | undefined;

  constructor(code: ErrorCode, message: string, tradeState?: TradeState) {
    super(message);
    this.code = code;
    this.tradeState = tradeState;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }

  body(): ErrorBody {
    return { code: this.code, message: this.message, ...(this.tradeState === undefined ? {} : { trade_state: this.tradeState }) };
  }
}

/**
 * A unit of ledger work that commits even when it ends in a refusal: what it wrote before refusing
 * (a failed payment's PAYERROR, a wrong password counted, a time-out applied) is kept, and the
 * refusal is thrown once the unit is done. Any other error still rolls the unit back.
 */
export function atomicallyRefusing<T>(atomically: <R>(work: () => R) => R, work: () => T): T {
  const outcome = atomically((): { value: T } | { refusal: WalletApiError } => {
    try {
      return { value: work() };
    } catch (error) {
      if (error instanceof WalletApiError) return { refusal: error };
      throw error;
    }
  });
  if ('refusal' in outcome) throw outcome.refusal;
  return outcome.value;
}
