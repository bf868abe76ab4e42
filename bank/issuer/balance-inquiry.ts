/**
 * The issuer's answer to a 0200 balance inquiry (DE3 310000): the same request fields and card
 * checks as a purchase, PIN included, with DE4 zero, and no ledger change. Approved, it reports
 * the account in DE54: amount type 01 the ledger (posted) balance, 02 what is available.
 *   debit account   01 = ledger balance, 02 = available balance (ledger less holds plus pending refunds)
 *   credit account  01 = amount owed, as a debit ("D") balance; 02 = available credit
 */
import { maskPan } from '../../common/card/pan.ts';
import { CURRENCIES, isCurrencyCode } from '../../common/money.ts';
import type { IsoMessage } from '../../payments/iso8583/message.ts';
import { formatAdditionalAmount } from './additional-amounts.ts';
import { checkCard, type Issuer } from './authorize-purchase.ts';
import { readPurchaseRequest, type PurchaseRequest } from './purchase-request.ts';
import { RESPONSE_CODE, type ResponseCode } from './response-codes.ts';
import { PROCESSING_CODES } from '../../payments/iso8583/profile.ts';


export interface BalanceInquiryDecision {
  readonly responseCode: ResponseCode;
  /** DE54 on approval. */
  readonly additionalAmounts?: string;
  /** For the host's log line. */
  readonly maskedPan?: string;
}

export function inquireBalance(message: IsoMessage, issuer: Issuer): BalanceInquiryDecision {
  const request = readPurchaseRequest(message, issuer.cardDataBdks);
  if (request === undefined) return { responseCode: RESPONSE_CODE.formatError };
  if (request.processingCode !== PROCESSING_CODES.balanceInquiry) return { responseCode: RESPONSE_CODE.invalidTransaction };
  if (request.amountMinor !== 0) return { responseCode: RESPONSE_CODE.invalidAmount };
  return { ...answerInquiry(request, issuer), maskedPan: maskPan(request.pan) };
}

function answerInquiry(request: PurchaseRequest, issuer: Issuer): BalanceInquiryDecision {
  const checked = checkCard(request, issuer);
  if (!checked.ok) return { responseCode: checked.responseCode };
  const balances = issuer.ledger.accounts.balances(checked.card.id);
  // A deck card always has an account (seeded at start), so a missing one is a host fault.
  if (balances === undefined || !isCurrencyCode(balances.currency)) return { responseCode: RESPONSE_CODE.systemMalfunction };

  const currencyNumeric = CURRENCIES[balances.currency].numeric;
  const ledgerBalance = balances.accountType === 'debit' ? balances.postedMinor : -balances.postedMinor;
  return {
    responseCode: RESPONSE_CODE.approved,
    additionalAmounts: formatAdditionalAmount('01', currencyNumeric, ledgerBalance) + formatAdditionalAmount('02', currencyNumeric, balances.availableMinor),
  };
}
