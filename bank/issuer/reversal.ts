/**
 * The host's answer to a 0400 reversal or its 0401 repeat: a void (DE39 reason 17) or a timeout
 * reversal (68) of a purchase or a refund. The original is the transaction the same terminal
 * (DE41) created with the STAN and DE7 that DE90 names: a reversal carries no card (profile v4 has
 * no DE2 in a 0400), and a timeout reversal has no RRN to give, since its 0210 never came.
 *
 * Reversals are idempotent, because a station repeats one until it gets an 0410:
 *   format, card data included (30: a reversal has no use for DE2, DE35 or DE120, so one that
 *   carries them is refused rather than let card data travel for nothing)
 *   → DE90 names an 0200 and DE3 a purchase or refund (12)
 *   → no such approved transaction: 00, nothing changed (it was declined or never arrived)
 *   → found, but another processing code or amount than the reversal carries: 25
 *   → already reversed: 00, nothing changed (a repeat never restores twice)
 *   → already settled (its batch closed): 12, a reversal cannot reach it any more
 *   → a purchase with refunds that still stand: 12 (reverse the refunds first, or the
 *     cardholder would get the refunded money twice)
 *   → reversed: 00. A purchase's hold is released; a refund's credit is taken back and the amount
 *     can be refunded again.
 */
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import type { TransactionKind } from '../ledger/transactions.ts';
import type { Issuer } from './authorize-purchase.ts';
import { carriesCardData } from './card-data-fields.ts';
import { parseOriginalDataElements } from './original-data-elements.ts';
import { RESPONSE_CODE, type ResponseCode } from './response-codes.ts';
import { PROCESSING_CODES } from '../../payments/iso8583/profile.ts';

export const REVERSAL_MANDATORY_FIELDS = [3, 4, 7, 11, 12, 13, 22, 25, 39, 41, 42, 49, 90] as const;

const KIND_BY_PROCESSING_CODE: Readonly<Record<string, TransactionKind>> = { [PROCESSING_CODES.purchase]: 'purchase', [PROCESSING_CODES.refund]: 'refund' };
const REVERSIBLE_MTI = '0200';

export interface ReversalDecision {
  readonly responseCode: ResponseCode;
  /** Why, for the log line, when DE39 alone does not say. */
  readonly note?: string;
}

export function reverseTransaction(message: IsoMessage, issuer: Issuer): ReversalDecision {
  if (REVERSAL_MANDATORY_FIELDS.some((field) => !message.fields.has(field))) return { responseCode: RESPONSE_CODE.formatError };
  if (carriesCardData(message)) return { responseCode: RESPONSE_CODE.formatError, note: 'a reversal carries no card data (DE2, DE35, DE120)' };
  const original = parseOriginalDataElements(getText(message, 90)!);
  if (original === undefined) return { responseCode: RESPONSE_CODE.formatError };
  const kind = KIND_BY_PROCESSING_CODE[getText(message, 3)!];
  if (original.mti !== REVERSIBLE_MTI || kind === undefined) return { responseCode: RESPONSE_CODE.invalidTransaction };
  const amountMinor = Number(getText(message, 4));
  const reason = getText(message, 39)!;

  const { ledger } = issuer;
  return ledger.atomically<ReversalDecision>(() => {
    const found = ledger.transactions.findByRequest(getText(message, 41)!, original.stan, original.transmissionDateTime);
    if (found === undefined) return { responseCode: RESPONSE_CODE.approved, note: 'no approved original: nothing to reverse' };
    if (found.kind !== kind || found.amountMinor !== amountMinor) {
      return { responseCode: RESPONSE_CODE.unableToLocateOriginal, note: `original ${found.rrn} has another processing code or amount` };
    }
    if (found.state === 'reversed') return { responseCode: RESPONSE_CODE.approved, note: `original ${found.rrn} already reversed` };
    if (found.state === 'posted') return { responseCode: RESPONSE_CODE.invalidTransaction, note: `original ${found.rrn} already settled` };
    if (found.refundedMinor > 0) return { responseCode: RESPONSE_CODE.invalidTransaction, note: `purchase ${found.rrn} has refunds standing` };
    ledger.transactions.reverse(found, reason, issuer.now());
    return { responseCode: RESPONSE_CODE.approved, note: `reversed ${found.kind} ${found.rrn}, reason ${reason}` };
  });
}
