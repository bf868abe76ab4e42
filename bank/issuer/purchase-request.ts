/**
 * The format check of a 0200 purchase: every field the host needs must be present and make sense
 * beyond what the packager already checked (track 2 must parse). Anything missing is DE39=30.
 */
import { parseTrack2, type CardData } from '../../common/card/tracks.ts';
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { readPinData } from '../../payments/iso8583/pin-data.ts';

/**
 * Fields a purchase must carry. The station always swipes (DE35) and always takes an online PIN:
 * TDES DUKPT in DE52 with its KSN in DE53, or AES DUKPT in DE111 (payments/iso8583/pin-data.ts), so
 * this host has no path for a purchase without one of them.
 */
export const PURCHASE_MANDATORY_FIELDS = [2, 3, 4, 7, 11, 12, 13, 22, 25, 35, 41, 42, 49] as const;

export interface PurchaseRequest {
  readonly pan: string;
  readonly processingCode: string;
  readonly amountMinor: number;
  readonly currencyNumeric: string;
  readonly stan: string;
  /** DE7 MMDDhhmmss: with DE41 and DE11 it names this request for a later reversal (DE90). */
  readonly transmissionDateTime: string;
  readonly tid: string;
  /** DE42: a refund must come from the merchant that took the purchase. */
  readonly merchantId: string;
  readonly track2: CardData;
  readonly pinBlock: Buffer;
  readonly ksn: Buffer;
}

/** The purchase's fields, or undefined when the request fails the format check. */
export function readPurchaseRequest(message: IsoMessage): PurchaseRequest | undefined {
  if (PURCHASE_MANDATORY_FIELDS.some((field) => !message.fields.has(field))) return undefined;
  const track2 = parseTrack2(`;${getText(message, 35)}?`);
  if (!track2.ok) return undefined;
  const pin = readPinData(message);
  if (!pin.ok) return undefined;
  return {
    pan: getText(message, 2)!,
    processingCode: getText(message, 3)!,
    amountMinor: Number(getText(message, 4)),
    currencyNumeric: getText(message, 49)!,
    stan: getText(message, 11)!,
    transmissionDateTime: getText(message, 7)!,
    tid: getText(message, 41)!,
    merchantId: getText(message, 42)!,
    track2: track2.card,
    pinBlock: pin.pin.pinBlock,
    ksn: pin.pin.ksn,
  };
}
