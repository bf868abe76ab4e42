/**
 * How the host builds an answer: the response MTI, the request's echoed fields and DE39.
 * Card data (DE2, DE35) and PIN data (DE52, DE53) are never echoed back.
 */
import { copyFields, createMessage, type IsoMessage } from '../../payments/iso8583/message.ts';
import { responseMti } from '../../payments/iso8583/mti.ts';

/** Financial responses echo these; DE37/DE38/DE39 are the host's own. */
export const FINANCIAL_ECHO_FIELDS = [3, 4, 7, 11, 12, 13, 41, 42, 49] as const;
/** Network management responses echo these. */
export const NETWORK_ECHO_FIELDS = [7, 11, 41, 70] as const;

export function buildResponse(request: IsoMessage, echo: readonly number[], responseCode: string): IsoMessage {
  const response = copyFields(request, createMessage(responseMti(request.mti)), echo);
  response.fields.set(39, responseCode);
  return response;
}
