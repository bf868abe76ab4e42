/**
 * The 0200 purchase request and its 0210 answer, per docs/host-interface.md (profile v1).
 * The request carries the card data and the encrypted PIN block for this one authorization; once it
 * is sent, the station keeps neither (only the masked PAN goes to the journal).
 */
import type { CardData } from '../../common/card/tracks.ts';
import { CURRENCIES, type Money } from '../../common/money.ts';
import { createMessage, getText, type IsoMessage } from '../../payments/iso8583/message.ts';

/** DE22: 02 = magnetic stripe read, 1 = terminal can accept PINs. */
export const ENTRY_MODE_SWIPE_WITH_PIN = '021';
/** DE25: 00 = normal presentment, cardholder present. */
const POS_CONDITION_NORMAL = '00';
const PROCESSING_CODE_PURCHASE = '000000';

export interface PurchaseRequest {
  readonly stan: string;
  readonly terminalId: string;
  readonly merchantId: string;
  readonly amount: Money;
  readonly card: CardData;
  readonly pinBlock: Uint8Array;
  readonly ksn: Uint8Array;
  readonly now: Date;
}

export interface AuthorizationAnswer {
  readonly responseCode: string;
  readonly approvalCode?: string;
  readonly rrn?: string;
}

const two = (value: number) => String(value).padStart(2, '0');

/** DE7: transmission date and time, MMDDhhmmss in UTC. */
export function transmissionDateTime(now: Date): string {
  return `${two(now.getUTCMonth() + 1)}${two(now.getUTCDate())}${two(now.getUTCHours())}${two(now.getUTCMinutes())}${two(now.getUTCSeconds())}`;
}

export function buildPurchaseRequest(request: PurchaseRequest): IsoMessage {
  const { now } = request;
  return createMessage('0200', {
    2: request.card.pan,
    3: PROCESSING_CODE_PURCHASE,
    4: String(request.amount.amountMinor).padStart(12, '0'),
    7: transmissionDateTime(now),
    11: request.stan,
    12: `${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`,
    13: `${two(now.getMonth() + 1)}${two(now.getDate())}`,
    14: request.card.expiry,
    22: ENTRY_MODE_SWIPE_WITH_PIN,
    25: POS_CONDITION_NORMAL,
    35: request.card.track2,
    41: request.terminalId,
    42: request.merchantId,
    49: CURRENCIES[request.amount.currency].numeric,
    52: request.pinBlock,
    53: request.ksn,
  });
}

export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
}

export function readAuthorizationAnswer(response: IsoMessage): AuthorizationAnswer {
  if (response.mti !== '0210') throw new UnexpectedResponseError(`expected a 0210, the host sent ${response.mti}`);
  const responseCode = getText(response, 39);
  if (!responseCode || !/^[0-9A-Z]{2}$/.test(responseCode)) throw new UnexpectedResponseError('the 0210 has no valid DE39');
  const approvalCode = getText(response, 38)?.trim();
  const rrn = getText(response, 37)?.trim();
  return { responseCode, ...(approvalCode ? { approvalCode } : {}), ...(rrn ? { rrn } : {}) };
}
