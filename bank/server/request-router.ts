/**
 * Which answer each request MTI gets. Purchases go to the issuer; 0800 echo tests are answered
 * 00 (logon, logoff and key change come with network management later); any other request is
 * answered 12 "invalid transaction". A message that is not a request (a response, say) gets no answer.
 */
import type { IsoMessage } from '../../payments/iso8583/message.ts';
import { isRequestMti } from '../../payments/iso8583/mti.ts';
import { authorizePurchase, type Issuer } from '../issuer/authorize-purchase.ts';
import { RESPONSE_CODE } from '../issuer/response-codes.ts';
import { buildResponse, FINANCIAL_ECHO_FIELDS, NETWORK_ECHO_FIELDS } from './responses.ts';

export type RequestRouter = (request: IsoMessage) => IsoMessage | undefined;

export function createRequestRouter(issuer: Issuer): RequestRouter {
  return (request) => {
    if (!isRequestMti(request.mti)) return undefined;
    switch (request.mti) {
      case '0200': {
        const decision = authorizePurchase(request, issuer);
        const response = buildResponse(request, FINANCIAL_ECHO_FIELDS, decision.responseCode);
        if (decision.rrn !== undefined) response.fields.set(37, decision.rrn);
        if (decision.approvalCode !== undefined) response.fields.set(38, decision.approvalCode);
        return response;
      }
      case '0800':
        return buildResponse(request, NETWORK_ECHO_FIELDS, RESPONSE_CODE.approved);
      default:
        return buildResponse(request, FINANCIAL_ECHO_FIELDS, RESPONSE_CODE.invalidTransaction);
    }
  };
}
