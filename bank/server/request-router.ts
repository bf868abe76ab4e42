/**
 * Which handler answers each request, by MTI and, for 0200, processing code (DE3):
 *   0200 000000 purchase · 310000 balance inquiry · 200000 refund · other DE3 → 12, none → 30;
 *   a terminal not permitted that kind of transaction → 58, before anything else is checked
 *   0400/0401 reversal · 0320 batch upload · 0500 settlement · 0800 network management
 *   any other request MTI → 12. A message that is not a request (a response, say) gets no answer.
 *
 * Each request but an 0800 is handled as one unit of ledger work, duplicate check included: its
 * effect and the record that it was answered commit together or not at all.
 */
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import type { FinancialKind } from '../acquiring/acquiring-config.ts';
import { isRequestMti } from '../../payments/iso8583/mti.ts';
import { PROCESSING_CODES } from '../../payments/iso8583/profile.ts';
import { formatUploadsNotAdopted, UPLOADS_NOT_ADOPTED_FIELD } from '../../payments/iso8583/uploads-not-adopted.ts';
import { authorizePurchase, type Issuer } from '../issuer/authorize-purchase.ts';
import { inquireBalance } from '../issuer/balance-inquiry.ts';
import { acceptBatchUpload } from '../issuer/batch-upload.ts';
import { answerNetworkManagement } from '../issuer/network-management.ts';
import { authorizeRefund } from '../issuer/refund.ts';
import { RESPONSE_CODE } from '../issuer/response-codes.ts';
import { reverseTransaction } from '../issuer/reversal.ts';
import { settleBatch } from '../issuer/settlement.ts';
import { createDuplicateGuard } from './duplicate-guard.ts';
import {
  BATCH_UPLOAD_ECHO_FIELDS,
  buildResponse,
  echoFieldsFor,
  FINANCIAL_ECHO_FIELDS,
  NETWORK_ECHO_FIELDS,
  REVERSAL_ECHO_FIELDS,
  SETTLEMENT_ECHO_FIELDS,
} from './responses.ts';

const FINANCIAL_KIND_BY_PROCESSING_CODE: Readonly<Record<string, FinancialKind>> = {
  [PROCESSING_CODES.purchase]: 'purchase',
  [PROCESSING_CODES.refund]: 'refund',
  [PROCESSING_CODES.balanceInquiry]: 'balance_inquiry',
};

export interface RoutedAnswer {
  readonly response: IsoMessage;
  /** Why, for the log line, when DE39 alone does not say. */
  readonly note?: string | undefined;
  /** The card's PAN, masked, for the log line: a request may carry it only encrypted (DE120). */
  readonly maskedPan?: string | undefined;
}

export type RequestRouter = (request: IsoMessage) => RoutedAnswer | undefined;

export interface RouterOptions {
  /** How long an answered request's DE11 + DE41 + DE7 makes a repeat of it a duplicate (94). */
  readonly duplicateWindowMs: number;
}

export function createRequestRouter(issuer: Issuer, options: RouterOptions): RequestRouter {
  const duplicates = createDuplicateGuard(issuer.ledger.recentRequests, options.duplicateWindowMs, () => issuer.now());

  function route(request: IsoMessage): RoutedAnswer {
    switch (request.mti) {
      case '0200':
        return routeFinancial(request);
      case '0400':
      case '0401': {
        const decision = reverseTransaction(request, issuer);
        return { response: buildResponse(request, REVERSAL_ECHO_FIELDS, decision.responseCode), note: decision.note };
      }
      case '0320':
        return { response: buildResponse(request, BATCH_UPLOAD_ECHO_FIELDS, acceptBatchUpload(request, issuer)) };
      case '0500': {
        const decision = settleBatch(request, issuer);
        const response = buildResponse(request, SETTLEMENT_ECHO_FIELDS, decision.responseCode);
        if (decision.settlementCode !== undefined) response.fields.set(66, decision.settlementCode);
        if (decision.notAdopted !== undefined) response.fields.set(UPLOADS_NOT_ADOPTED_FIELD, formatUploadsNotAdopted(decision.notAdopted));
        return { response, note: decision.note };
      }
      case '0800': {
        const decision = answerNetworkManagement(request);
        return { response: buildResponse(request, NETWORK_ECHO_FIELDS, decision.responseCode), note: decision.note };
      }
      default:
        return { response: buildResponse(request, echoFieldsFor(request.mti), RESPONSE_CODE.invalidTransaction) };
    }
  }

  function routeFinancial(request: IsoMessage): RoutedAnswer {
    const processingCode = getText(request, 3);
    const kind = processingCode === undefined ? undefined : FINANCIAL_KIND_BY_PROCESSING_CODE[processingCode];
    const terminalId = getText(request, 41);
    let decision: { responseCode: string; rrn?: string; approvalCode?: string; additionalAmounts?: string; iccData?: Buffer; maskedPan?: string };
    if (kind !== undefined && terminalId !== undefined && !issuer.acquiring.terminalMay(terminalId, kind)) decision = { responseCode: RESPONSE_CODE.notPermittedToTerminal };
    else if (processingCode === PROCESSING_CODES.purchase) decision = authorizePurchase(request, issuer);
    else if (processingCode === PROCESSING_CODES.balanceInquiry) decision = inquireBalance(request, issuer);
    else if (processingCode === PROCESSING_CODES.refund) decision = authorizeRefund(request, issuer);
    else decision = { responseCode: processingCode === undefined ? RESPONSE_CODE.formatError : RESPONSE_CODE.invalidTransaction };
    const response = buildResponse(request, FINANCIAL_ECHO_FIELDS, decision.responseCode);
    if (decision.rrn !== undefined) response.fields.set(37, decision.rrn);
    if (decision.approvalCode !== undefined) response.fields.set(38, decision.approvalCode);
    if (decision.additionalAmounts !== undefined) response.fields.set(54, decision.additionalAmounts);
    // Chip: the issuer authentication data (91) and any issuer scripts (71/72) for the card.
    if (decision.iccData !== undefined) response.fields.set(55, decision.iccData);
    return { response, maskedPan: decision.maskedPan };
  }

  return (request) => {
    if (!isRequestMti(request.mti)) return undefined;
    // Network management touches no ledger data: an echo needs no transaction, nor to wait for one.
    if (request.mti === '0800') return route(request);
    return issuer.ledger.atomically(() => {
      if (duplicates.isDuplicate(request)) {
        return { response: buildResponse(request, echoFieldsFor(request.mti), RESPONSE_CODE.duplicateTransmission), note: 'duplicate: no effect' };
      }
      return route(request);
    });
  };
}
