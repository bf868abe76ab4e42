/**
 * The issuer's decision on a 0200 purchase. Checks run in a fixed order and the first failure
 * answers, so a given card and request always get the same code:
 *   format (30) → processing code (12) → amount (13) → card checks (checkCard below: issuer
 *   reachable (91) → card number
 *   known scheme + Luhn (14) → card on file (14) → track 2 agrees with the card (05) → track 2 CVV
 *   (05) → status lost/stolen/blocked (41/43/57) → service code (57) → expiry (54) → currency (12)
 *   → PIN tries left (75) → PIN (55, or 75 for the wrong PIN that uses up the tries))
 *   → chip first: a chip card's stripe read as a plain swipe, not as fallback (57)
 *   → chip: the cryptogram bound to DE4/DE49/DE3 and the terminal's country, the ARQC, the ATC (82/05),
 *   then the issuer's CVM policy (55; chip/cvm-policy.ts)
 *   → amount limit (61) → risk rules (59/05) → funds (51) → approved (00), with the account debited.
 * The card checks' own rules are in card-checks/ (one file each); the risk monitor is bank/risk/.
 *
 * Track 2 that disagrees with the card on file answers 05 "do not honour", not 14: the PAN is a
 * card we issued, but the stripe does not match it (a re-encoded or counterfeit card), and the
 * issuer does not tell the terminal which check failed.
 */
import { maskPan } from '../../common/card/pan.ts';
import type { CardData } from '../../common/card/tracks.ts';
import { currencyByNumeric } from '../../common/money.ts';
import type { TestDeckCard } from '../../common/test-deck.ts';
import type { IsoMessage } from '../../payments/iso8583/message.ts';
import type { CardDeck } from '../deck/card-deck.ts';
import type { AcquiringRules } from '../acquiring/acquiring-rules.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { RiskMonitor, WatchedPurchase } from '../risk/risk-monitor.ts';
import type { AmountLimits } from './card-checks/amount-limits.ts';
import { cardNumberAcceptable } from './card-checks/card-number.ts';
import { trackCvvValid, type CardSecurity } from './card-checks/card-security.ts';
import { checkPin } from './card-checks/pin-check.ts';
import { chipCardSwiped, serviceCodeAllowsPosPurchase } from './card-checks/service-code.ts';
import { scriptResultSignals } from './chip/script-results.ts';
import { isCardExpired } from './card-expiry.ts';
import type { PinVerifier } from './pin-verifier.ts';
import { readPurchaseRequest, type PurchaseRequest } from './purchase-request.ts';
import { formatRrn, newApprovalCode } from './reference-numbers.ts';
import { RESPONSE_CODE, type ResponseCode } from './response-codes.ts';
import type { ChipIssuer } from './chip/chip-authentication.ts';
import { PROCESSING_CODES } from '../../payments/iso8583/profile.ts';
import type { CardDataBdks } from '../../payments/sred/decrypt-card-data.ts';

/** The iCVV of a chip's track 2 equivalent data is the CVV algorithm run with this service code. */
const ICVV_SERVICE_CODE = '999';

const STATUS_DECLINES = {
  lost: RESPONSE_CODE.lostCard,
  stolen: RESPONSE_CODE.stolenCard,
  blocked: RESPONSE_CODE.notPermittedToCardholder,
} as const;

export interface Issuer {
  readonly deck: CardDeck;
  readonly ledger: Ledger;
  readonly verifyPin: PinVerifier;
  /** CVKs by BIN and the PIN try counter. */
  readonly cardSecurity: CardSecurity;
  readonly amountLimits: AmountLimits;
  readonly risk: RiskMonitor;
  /** The acquirer's terminal permissions and issuer outages, checked before the card. */
  readonly acquiring: AcquiringRules;
  /** ARQC, ATC, ARPC and issuer scripts of chip cards (bank/issuer/chip). */
  readonly chip: ChipIssuer;
  /** The encrypting readers' BDKs: DE120 card data is decrypted with them (request-card.ts). */
  readonly cardDataBdks: CardDataBdks;
  now(): Date;
}

export interface PurchaseDecision {
  readonly responseCode: ResponseCode;
  readonly approvalCode?: string;
  readonly rrn?: string;
  /** Chip: the answer's DE55 (tag 91, issuer scripts). */
  readonly iccData?: Buffer;
  /** The card's PAN, masked, for the host's log line (the request may carry it only encrypted). */
  readonly maskedPan?: string;
}

export function authorizePurchase(message: IsoMessage, issuer: Issuer): PurchaseDecision {
  const request = readPurchaseRequest(message, issuer.cardDataBdks);
  if (request === undefined) return decline(RESPONSE_CODE.formatError);
  if (request.processingCode !== PROCESSING_CODES.purchase) return decline(RESPONSE_CODE.invalidTransaction);
  if (request.amountMinor <= 0) return decline(RESPONSE_CODE.invalidAmount);
  // The risk monitor learns every purchase's outcome, declines included: they feed its rules.
  const watched = issuer.risk.watch(request);
  const reasons: string[] = [];
  return { ...watched.settle(decidePurchase(request, issuer, watched, reasons), reasons), maskedPan: maskPan(request.pan) };
}

function decidePurchase(request: PurchaseRequest, issuer: Issuer, watched: WatchedPurchase, reasons: string[]): PurchaseDecision {
  const checked = checkCard(request, issuer);
  if (!checked.ok) return decline(checked.responseCode);
  const { card, now } = checked;
  if (chipCardSwiped(request.track2.serviceCode, request.entryMode)) {
    reasons.push(`chip-card-swiped: service code ${request.track2.serviceCode} read by its stripe as a plain swipe, not as fallback`);
    return decline(RESPONSE_CODE.notPermittedToCardholder);
  }
  // Chip: the cryptogram proves the card; once it verified, every answer carries an ARPC (tag 91).
  let chipAnswer = (responseCode: ResponseCode): PurchaseDecision => decline(responseCode);
  if (request.chip) {
    const transaction = { amountMinor: request.amountMinor, currencyNumeric: request.currencyNumeric, processingCode: request.processingCode, terminalCountry: issuer.acquiring.terminalCountry(request.tid) };
    const verified = issuer.chip.verify(card, request.chip, transaction);
    if (!verified.ok) {
      reasons.push(verified.reason);
      return decline(verified.responseCode);
    }
    reasons.push(...verified.signals, ...scriptResultSignals(request.chip.tags.get('DF31')));
    const chip = request.chip;
    chipAnswer = (responseCode) => ({ responseCode, iccData: issuer.chip.responseData(card, verified, responseCode, chip.panSequenceNumber) });
    const cvm = issuer.chip.missingCvm(request.entryMode === 'contactless' ? 'contactless' : 'chip', request.amountMinor, request.pinBlock !== undefined);
    if (cvm) {
      reasons.push(cvm);
      return chipAnswer(RESPONSE_CODE.incorrectPin);
    }
    issuer.chip.recordAtc(card.id, verified.atc);
  }
  const limit = issuer.amountLimits.limitFor(card);
  if (limit !== undefined && request.amountMinor > limit) return chipAnswer(RESPONSE_CODE.exceedsAmountLimit);
  const risk = watched.assess();
  if (risk.responseCode !== undefined) return chipAnswer(risk.responseCode);

  const approvalCode = newApprovalCode();
  const posting = issuer.ledger.postPurchase({
    cardId: card.id,
    maskedPan: maskPan(card.pan),
    stan: request.stan,
    tid: request.tid,
    merchantId: request.merchantId,
    transmissionDateTime: request.transmissionDateTime,
    amountMinor: request.amountMinor,
    currency: card.account.currency,
    approvalCode,
    postedAt: now,
    rrnFor: (sequence) => formatRrn(now, sequence),
  });
  if (!posting.ok) {
    // A deck card always has an account (seeded at start), so a missing one is a host fault.
    return chipAnswer(posting.reason === 'insufficient_funds' ? RESPONSE_CODE.insufficientFunds : RESPONSE_CODE.systemMalfunction);
  }
  const approved = chipAnswer(RESPONSE_CODE.approved);
  return { ...approved, approvalCode, rrn: posting.rrn };
}

/** What the card checks read from a card-present request (a purchase, balance inquiry or refund). */
export interface CardCheckRequest {
  readonly pan: string;
  readonly track2: CardData;
  readonly currencyNumeric: string;
  /** Verified when present; the request's reader decides whether a PIN is mandatory (a refund carries none). */
  readonly pinBlock?: Buffer | undefined;
  readonly ksn?: Buffer | undefined;
  /** Chip and contactless: track 2 is the ICC's track 2 equivalent, whose CVV is the iCVV (service code 999). */
  readonly chip?: unknown;
}

export type CardCheckResult = { readonly ok: true; readonly card: TestDeckCard; readonly now: Date } | { readonly ok: false; readonly responseCode: ResponseCode };

/**
 * The card checks every card-present request shares, so a purchase, a balance inquiry and a refund
 * decline the same card with the same code.
 */
export function checkCard(request: CardCheckRequest, issuer: Issuer): CardCheckResult {
  // An issuer that cannot be reached checks nothing: the acquirer answers for it.
  if (issuer.acquiring.issuerDown(request.pan)) return refuse(RESPONSE_CODE.issuerInoperative);
  if (!cardNumberAcceptable(request.pan)) return refuse(RESPONSE_CODE.invalidCardNumber);
  const card = issuer.deck.findByPan(request.pan);
  if (card === undefined) return refuse(RESPONSE_CODE.invalidCardNumber);
  if (request.track2.pan !== card.pan || request.track2.expiry !== card.expiry) return refuse(RESPONSE_CODE.doNotHonour);
  // The CVV covers PAN, expiry and service code: a stripe not encoded by the issuer fails here.
  const cvvTrack = request.chip === undefined ? request.track2 : { ...request.track2, serviceCode: ICVV_SERVICE_CODE };
  if (!trackCvvValid(cvvTrack, issuer.cardSecurity.cvks)) return refuse(RESPONSE_CODE.doNotHonour);
  if (card.status !== 'active') return refuse(STATUS_DECLINES[card.status]);
  if (!serviceCodeAllowsPosPurchase(request.track2.serviceCode)) return refuse(RESPONSE_CODE.notPermittedToCardholder);

  const now = issuer.now();
  if (isCardExpired(card.expiry, now)) return refuse(RESPONSE_CODE.expiredCard);
  if (currencyByNumeric(request.currencyNumeric) !== card.account.currency) return refuse(RESPONSE_CODE.invalidTransaction);
  if (request.pinBlock !== undefined && request.ksn !== undefined) {
    const pinDecline = checkPin({ pinBlock: request.pinBlock, ksn: request.ksn }, card, issuer.verifyPin, issuer.cardSecurity.pinTries, now);
    if (pinDecline !== undefined) return refuse(pinDecline);
  }
  return { ok: true, card, now };
}

function refuse(responseCode: ResponseCode): CardCheckResult {
  return { ok: false, responseCode };
}

function decline(responseCode: ResponseCode): PurchaseDecision {
  return { responseCode };
}
