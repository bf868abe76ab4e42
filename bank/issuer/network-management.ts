/**
 * The host's answer to an 0800 network management request, by DE70: 001 sign-on, 002 sign-off,
 * 301 echo test. The host keeps no sign-on state (a station's financial requests are answered
 * whether or not it signed on), so each is answered 00 and only logged; any other DE70 is 12.
 */
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { RESPONSE_CODE, type ResponseCode } from './response-codes.ts';
import { NETWORK_CODES } from '../../payments/iso8583/profile.ts';

/** DE11 and DE41 let the station match the answer; DE7 is echoed when present but not needed. */
export const NETWORK_MANAGEMENT_MANDATORY_FIELDS = [11, 41, 70] as const;

const NETWORK_FUNCTIONS: Readonly<Record<string, string>> = { [NETWORK_CODES.signOn]: 'sign-on', [NETWORK_CODES.signOff]: 'sign-off', [NETWORK_CODES.echo]: 'echo test' };

export interface NetworkManagementDecision {
  readonly responseCode: ResponseCode;
  readonly note?: string;
}

export function answerNetworkManagement(message: IsoMessage): NetworkManagementDecision {
  if (NETWORK_MANAGEMENT_MANDATORY_FIELDS.some((field) => !message.fields.has(field))) return { responseCode: RESPONSE_CODE.formatError };
  const name = NETWORK_FUNCTIONS[getText(message, 70)!];
  if (name === undefined) return { responseCode: RESPONSE_CODE.invalidTransaction, note: 'unknown network management code' };
  return { responseCode: RESPONSE_CODE.approved, note: name };
}
