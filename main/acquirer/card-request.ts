/**
 * The card-present 0200 requests of profile v4 and their 0210 answer: a purchase (DE3 000000), a
 * refund (200000, no PIN, DE37 = the purchase's RRN) and a balance inquiry (310000, DE4 zero).
 * The codes come from the profile (payments/iso8583/profile.ts); DE22 from the tender's entry mode.
 * A request carries the card (and the encrypted PIN block) for this one exchange: DE2 and DE35 from
 * a plain reader or a chip, or DE120 alone, the block an encrypting reader made, which the station
 * cannot read. The journal gets the masked PAN.
 * A chip or contactless request adds DE55 and DE23 (payments/emv/iso8583-chip-fields.ts says which).
 */
import { isEncryptedRead, type SwipedCard } from '../../common/card/swiped-card.ts';
import { CURRENCIES, type Money } from '../../common/money.ts';
import type { CardTransactionKind } from '../../common/payment.ts';
import { createMessage, getText, type FieldValue, type IsoMessage } from '../../payments/iso8583/message.ts';
import { encryptedCardDataField } from '../../payments/iso8583/encrypted-card-data.ts';
import { pinDataFields } from '../../payments/iso8583/pin-data.ts';
import { POS_CONDITION_CODES, PROCESSING_CODES } from '../../payments/iso8583/profile.ts';
import { localDate, localTime, transmissionDateTime } from './message-clock.ts';

/** DE3 of each card-present kind. */
export const PROCESSING_CODE_OF: Readonly<Record<CardTransactionKind, string>> = {
  purchase: PROCESSING_CODES.purchase,
  refund: PROCESSING_CODES.refund,
  balance_inquiry: PROCESSING_CODES.balanceInquiry,
};

export interface CardRequest {
  readonly kind: CardTransactionKind;
  readonly stan: string;
  readonly terminalId: string;
  readonly merchantId: string;
  /** Zero for a balance inquiry. */
  readonly amount: Money;
  /** Clear (DE2 + DE35) or encrypted by the reader (DE120). */
  readonly card: SwipedCard;
  /** DE22, from the entry mode the card came in by (payments/iso8583/profile.ts POS_ENTRY_MODES). */
  readonly posEntryMode: string;
  /** Purchase and balance inquiry; a refund carries none. */
  readonly pin?: { readonly pinBlock: Uint8Array; readonly ksn: Uint8Array };
  /** A refund: the RRN of the purchase it refunds. */
  readonly originalRrn?: string;
  /** A chip or contactless card: DE55 (the ICC data, BER-TLV) and DE23 (the card sequence number, tag 5F34). */
  readonly icc?: { readonly data: Uint8Array; readonly cardSequenceNumber?: string };
  readonly now: Date;
}

export interface AuthorizationAnswer {
  readonly responseCode: string;
  readonly approvalCode?: string;
  readonly rrn?: string;
  /** DE54, a balance inquiry's additional amounts. */
  readonly additionalAmounts?: string;
}

export function buildCardRequest(request: CardRequest): IsoMessage {
  const { now } = request;
  const { card } = request;
  const fields: Record<number, FieldValue> = {
    // The card: in clear, or as the encrypting reader's block (payments/iso8583/encrypted-card-data.ts).
    ...(isEncryptedRead(card) ? encryptedCardDataField(card.encrypted) : { 2: card.pan, 35: card.track2 }),
    3: PROCESSING_CODE_OF[request.kind],
    4: String(request.amount.amountMinor).padStart(12, '0'),
    7: transmissionDateTime(now),
    11: request.stan,
    12: localTime(now),
    13: localDate(now),
    14: card.expiry,
    22: request.posEntryMode,
    25: POS_CONDITION_CODES.normal,
    41: request.terminalId,
    42: request.merchantId,
    49: CURRENCIES[request.amount.currency].numeric,
  };
  if (request.originalRrn !== undefined) fields[37] = request.originalRrn;
  if (request.icc !== undefined) {
    fields[55] = request.icc.data;
    if (request.icc.cardSequenceNumber !== undefined) fields[23] = request.icc.cardSequenceNumber.padStart(3, '0');
  }
  // DE52/DE53 for a TDES DUKPT PIN, DE111 for an AES DUKPT one (payments/iso8583/pin-data.ts).
  if (request.pin !== undefined) Object.assign(fields, pinDataFields(request.pin));
  return createMessage('0200', fields);
}

export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
}

/** DE39, checked: every answer the station reads has one. */
export function responseCodeOf(response: IsoMessage, expectedMti: string): string {
  if (response.mti !== expectedMti) throw new UnexpectedResponseError(`expected a ${expectedMti}, the host sent ${response.mti}`);
  const responseCode = getText(response, 39);
  if (!responseCode || !/^[0-9A-Z]{2}$/.test(responseCode)) throw new UnexpectedResponseError(`the ${response.mti} has no valid DE39`);
  return responseCode;
}

export function readAuthorizationAnswer(response: IsoMessage): AuthorizationAnswer {
  const responseCode = responseCodeOf(response, '0210');
  const approvalCode = getText(response, 38)?.trim();
  const rrn = getText(response, 37)?.trim();
  const additionalAmounts = getText(response, 54);
  return {
    responseCode,
    ...(approvalCode ? { approvalCode } : {}),
    ...(rrn ? { rrn } : {}),
    ...(additionalAmounts ? { additionalAmounts } : {}),
  };
}
