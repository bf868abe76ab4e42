/** 0800/0810 network management: sign-on (DE70 001) and echo test (301). The station sends no sign-off (002). */
import { createMessage, getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { transmissionDateTime } from './message-clock.ts';

export const NETWORK_CODE = { signOn: '001', signOff: '002', echo: '301' } as const;
export type NetworkCode = (typeof NETWORK_CODE)[keyof typeof NETWORK_CODE];

export function buildNetworkRequest(code: NetworkCode, stan: string, terminalId: string, now: Date): IsoMessage {
  return createMessage('0800', { 7: transmissionDateTime(now), 11: stan, 41: terminalId, 70: code });
}

/** Whether the host accepted it: an 0810 with DE39 00 answering the same DE70. */
export function isNetworkApproval(response: IsoMessage, code: NetworkCode): boolean {
  return response.mti === '0810' && getText(response, 39) === '00' && getText(response, 70) === code;
}
