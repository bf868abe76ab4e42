/**
 * The issuer's decision on a 0200 purchase. Checks run in a fixed order and the first failure
 * answers, so a given card and request always get the same code:
 *   format (30) → processing code (12) → card on file (14) → track 2 agrees with the card (05)
 *   → status lost/stolen/blocked (41/43/57) → expiry (54) → currency (12) → amount (13)
 *   → PIN (55) → funds (51) → approved (00), with the account debited.
 *
 * Track 2 that disagrees with the card on file answers 05 "do not honour", not 14: the PAN is a
 * card we issued, but the stripe does not match it (a re-encoded or counterfeit card), and the
 * issuer does not tell the terminal which check failed.
 */
import { maskPan } from '../../common/card/pan.ts';
import { currencyByNumeric } from '../../common/money.ts';
import type { IsoMessage } from '../../payments/iso8583/message.ts';
import type { CardDeck } from '../deck/card-deck.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { isCardExpired } from './card-expiry.ts';
import type { PinVerifier } from './pin-verifier.ts';
import { readPurchaseRequest } from './purchase-request.ts';
import { formatRrn, newApprovalCode } from './reference-numbers.ts';
import { RESPONSE_CODE, type ResponseCode } from './response-codes.ts';

const PROCESSING_CODE_PURCHASE = '000000';

const STATUS_DECLINES = {
  lost: RESPONSE_CODE.lostCard,
  stolen: RESPONSE_CODE.stolenCard,
  blocked: RESPONSE_CODE.notPermittedToCardholder,
} as const;

export interface Issuer {
  readonly deck: CardDeck;
  readonly ledger: Ledger;
  readonly verifyPin: PinVerifier;
  now(): Date;
}

export interface PurchaseDecision {
  readonly responseCode: ResponseCode;
  readonly approvalCode?: string;
  readonly rrn?: string;
}

export function authorizePurchase(message: IsoMessage, issuer: Issuer): PurchaseDecision {
  const request = readPurchaseRequest(message);
  if (request === undefined) return decline(RESPONSE_CODE.formatError);
  if (request.processingCode !== PROCESSING_CODE_PURCHASE) return decline(RESPONSE_CODE.invalidTransaction);

  const card = issuer.deck.findByPan(request.pan);
  if (card === undefined) return decline(RESPONSE_CODE.invalidCardNumber);
  if (request.track2.pan !== card.pan || request.track2.expiry !== card.expiry) return decline(RESPONSE_CODE.doNotHonour);
  if (card.status !== 'active') return decline(STATUS_DECLINES[card.status]);

  const now = issuer.now();
  if (isCardExpired(card.expiry, now)) return decline(RESPONSE_CODE.expiredCard);
  if (currencyByNumeric(request.currencyNumeric) !== card.account.currency) return decline(RESPONSE_CODE.invalidTransaction);
  if (request.amountMinor <= 0) return decline(RESPONSE_CODE.invalidAmount);
  if (!issuer.verifyPin({ pinBlock: request.pinBlock, ksn: request.ksn, pan: card.pan, expectedPin: card.pin })) {
    return decline(RESPONSE_CODE.incorrectPin);
  }

  const approvalCode = newApprovalCode();
  const posting = issuer.ledger.postPurchase({
    cardId: card.id,
    maskedPan: maskPan(card.pan),
    stan: request.stan,
    tid: request.tid,
    amountMinor: request.amountMinor,
    currency: card.account.currency,
    approvalCode,
    postedAt: now,
    rrnFor: (sequence) => formatRrn(now, sequence),
  });
  if (!posting.ok) {
    // A deck card always has an account (seeded at start), so a missing one is a host fault.
    return decline(posting.reason === 'insufficient_funds' ? RESPONSE_CODE.insufficientFunds : RESPONSE_CODE.systemMalfunction);
  }
  return { responseCode: RESPONSE_CODE.approved, approvalCode, rrn: posting.rrn };
}

function decline(responseCode: ResponseCode): PurchaseDecision {
  return { responseCode };
}
