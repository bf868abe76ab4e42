/** 0800/0810 network management: sign-on (DE70 001), sign-off (002) and echo test (301); the codes are the profile's. */
import { createMessage, getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { NETWORK_CODES } from '../../payments/iso8583/profile.ts';
import { transmissionDateTime } from './message-clock.ts';

export type NetworkCode = (typeof NETWORK_CODES)[keyof typeof NETWORK_CODES];

export function buildNetworkRequest(code: NetworkCode, stan: string, terminalId: string, now: Date): IsoMessage {
  return createMessage('0800', { 7: transmissionDateTime(now), 11: stan, 41: terminalId, 70: code });
}

/** Whether the host accepted it: an 0810 with DE39 00 answering the same DE70. */
export function isNetworkApproval(response: IsoMessage, code: NetworkCode): boolean {
  return response.mti === '0810' && getText(response, 39) === '00' && getText(response, 70) === code;
}
