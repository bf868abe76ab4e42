/**
 * The sale domain's own errors. Each says what the cashier did that the rules refuse, in words the
 * UI can show; the code says what kind of refusal it is. The IPC layer maps codes to typed results
 * (main/ipc/domain-errors.ts); nothing here knows about IPC.
 */
import { formatMinorPlain, type CurrencyCode } from '../../common/money.ts';

export const SALE_ERROR_CODES = [
  /** No such sale, line, tender, operator, product. */
  'not_found',
  /** The rules refuse it as asked: an amount, a discount, a state that does not allow it. */
  'rejected',
  /** Another job holds the till (a card payment, a void, a settlement). */
  'busy',
  /** It needs a signed-in cashier, an open shift or a supervisor's approval. */
  'forbidden',
  /** The bank cannot be reached now. */
  'unavailable',
] as const;
export type SaleErrorCode = (typeof SALE_ERROR_CODES)[number];

export class SaleError extends Error {
  override readonly name = 'SaleError';
  readonly code: SaleErrorCode;

  constructor(code: SaleErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** "12.50 CNY", exact, for messages. */
export function amountText(amountMinor: number, currency: CurrencyCode): string {
  return `${formatMinorPlain({ amountMinor, currency })} ${currency}`;
}

export const notFound = (message: string) => new SaleError('not_found', message);
export const rejected = (message: string) => new SaleError('rejected', message);
