/**
 * The issuer's decision on a 0200 refund (DE3 200000). Card present, no PIN; DE37 names the
 * purchase being refunded by its RRN. The first failure answers:
 *   format (30) → amount above zero (13) → card checks as a purchase without PIN (14, 05, 41, 43,
 *   57, 54, 12) → the original: an approved, not reversed purchase of this card at this merchant
 *   (25) → amount within what is left to refund (13) → approved (00): the account is credited
 *   and the refund gets its own DE37/DE38.
 */
import { maskPan } from '../../common/card/pan.ts';
import type { CardData } from '../../common/card/tracks.ts';
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { checkCard, type Issuer } from './authorize-purchase.ts';
import { readRequestCard } from './request-card.ts';
import { formatRrn, newApprovalCode } from './reference-numbers.ts';
import { RESPONSE_CODE, type ResponseCode } from './response-codes.ts';
import { PROCESSING_CODES } from '../../payments/iso8583/profile.ts';


/**
 * A purchase's fields less the PIN (DE52/DE53), plus DE37, the original's RRN; the card as DE2 +
 * DE35 or DE120 (request-card.ts). DE14 is optional: track 2 carries the expiry.
 */
export const REFUND_MANDATORY_FIELDS = [3, 4, 7, 11, 12, 13, 22, 25, 37, 41, 42, 49] as const;

export interface RefundDecision {
  readonly responseCode: ResponseCode;
  readonly approvalCode?: string;
  readonly rrn?: string;
  /** For the host's log line. */
  readonly maskedPan?: string;
}

export function authorizeRefund(message: IsoMessage, issuer: Issuer): RefundDecision {
  if (REFUND_MANDATORY_FIELDS.some((field) => !message.fields.has(field))) return decline(RESPONSE_CODE.formatError);
  const requestCard = readRequestCard(message, issuer.cardDataBdks);
  if (requestCard === undefined) return decline(RESPONSE_CODE.formatError);
  if (getText(message, 3) !== PROCESSING_CODES.refund) return decline(RESPONSE_CODE.invalidTransaction);
  const amountMinor = Number(getText(message, 4));
  if (amountMinor <= 0) return decline(RESPONSE_CODE.invalidAmount);

  const { pan } = requestCard;
  return { ...refundCard(message, issuer, pan, requestCard.track2, amountMinor), maskedPan: maskPan(pan) };
}

function refundCard(message: IsoMessage, issuer: Issuer, pan: string, track2: CardData, amountMinor: number): RefundDecision {
  const checked = checkCard({ pan, track2, currencyNumeric: getText(message, 49)! }, issuer);
  if (!checked.ok) return decline(checked.responseCode);
  const { card, now } = checked;
  const merchantId = getText(message, 42)!;

  return issuer.ledger.atomically(() => {
    const original = issuer.ledger.transactions.findByRrn(getText(message, 37)!.trim());
    const refundable = original !== undefined && original.kind === 'purchase' && original.state !== 'reversed';
    if (!refundable || original.cardId !== card.id || original.merchantId !== merchantId) return decline(RESPONSE_CODE.unableToLocateOriginal);
    if (amountMinor > original.amountMinor - original.refundedMinor) return decline(RESPONSE_CODE.invalidAmount);

    const approvalCode = newApprovalCode();
    const { rrn } = issuer.ledger.postRefund({
      original,
      cardId: card.id,
      maskedPan: maskPan(pan),
      stan: getText(message, 11)!,
      tid: getText(message, 41)!,
      merchantId,
      transmissionDateTime: getText(message, 7)!,
      amountMinor,
      currency: card.account.currency,
      approvalCode,
      postedAt: now,
      rrnFor: (sequence) => formatRrn(now, sequence),
    });
    return { responseCode: RESPONSE_CODE.approved, approvalCode, rrn };
  });
}

function decline(responseCode: ResponseCode): RefundDecision {
  return { responseCode };
}
