/**
 * How the host builds an answer: the response MTI, the request's echoed fields and DE39.
 * Card data (DE2, DE14, DE35) and PIN data (DE52, DE53) are never echoed back.
 */
import { copyFields, createMessage, type IsoMessage } from '../../payments/iso8583/message.ts';
import { responseMti } from '../../payments/iso8583/mti.ts';

/** 0210 echoes these; DE37/DE38/DE39/DE54 are the host's own. */
export const FINANCIAL_ECHO_FIELDS = [3, 4, 7, 11, 12, 13, 41, 42, 49] as const;
/** 0410 also echoes the original data elements. */
export const REVERSAL_ECHO_FIELDS = [...FINANCIAL_ECHO_FIELDS, 90] as const;
/** 0330 also echoes the uploaded transaction's RRN and DE60. */
export const BATCH_UPLOAD_ECHO_FIELDS = [...FINANCIAL_ECHO_FIELDS, 37, 60] as const;
/** 0510 echoes the batch's identity, not the terminal's totals: DE66 says whether they agreed. */
export const SETTLEMENT_ECHO_FIELDS = [3, 7, 11, 41, 42, 49, 60] as const;
/** 0810 echoes these. */
export const NETWORK_ECHO_FIELDS = [7, 11, 41, 70] as const;

/** Fields only the host assigns; an answer whose effect was lost must not carry them. */
const HOST_ASSIGNED_FIELDS = [37, 38, 54, 66] as const;

export function buildResponse(request: IsoMessage, echo: readonly number[], responseCode: string): IsoMessage {
  const response = copyFields(request, createMessage(responseMti(request.mti)), echo);
  response.fields.set(39, responseCode);
  return response;
}

/** The fields a request's answer echoes, by MTI: what a 94, 96 or 12 answer to it carries. */
export function echoFieldsFor(requestMti: string): readonly number[] {
  switch (requestMti) {
    case '0400':
    case '0401':
      return REVERSAL_ECHO_FIELDS;
    case '0320':
      return BATCH_UPLOAD_ECHO_FIELDS;
    case '0500':
      return SETTLEMENT_ECHO_FIELDS;
    case '0800':
      return NETWORK_ECHO_FIELDS;
    default:
      return FINANCIAL_ECHO_FIELDS;
  }
}

/**
 * The answer to send instead of `decided` when its ledger work could not be committed: same echo,
 * none of the host-assigned fields, DE39 96. Nothing the request asked for happened.
 */
export function notDoneResponse(decided: IsoMessage, systemMalfunction: string): IsoMessage {
  const response = createMessage(decided.mti);
  for (const [field, value] of decided.fields) {
    if (!(HOST_ASSIGNED_FIELDS as readonly number[]).includes(field)) response.fields.set(field, value);
  }
  response.fields.set(39, systemMalfunction);
  return response;
}
