/**
 * The format check of a 0200 purchase: every field the host needs must be present and make sense
 * beyond what the packager already checked (the card must read: request-card.ts). Anything missing
 * is DE39=30.
 */
import type { CardData } from '../../common/card/tracks.ts';
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { readPinData } from '../../payments/iso8583/pin-data.ts';
import { readIccData } from '../../payments/iso8583/icc-data-field.ts';
import type { CardDataBdks } from '../../payments/sred/decrypt-card-data.ts';
import type { ChipRequestData } from './chip/chip-authentication.ts';
import { readRequestCard } from './request-card.ts';

/** How the card was read, from DE22's first two digits: 05 chip, 07 contactless, 80 fallback, else a swipe. */
export type EntryMode = 'swipe' | 'chip' | 'contactless' | 'fallback';

export function entryModeOf(posEntryMode: string): EntryMode {
  const pan = posEntryMode.slice(0, 2);
  return pan === '05' ? 'chip' : pan === '07' ? 'contactless' : pan === '80' ? 'fallback' : 'swipe';
}

/**
 * Fields a purchase must carry, besides the card: DE2 + DE35, or DE120 from an encrypting reader
 * (request-card.ts). A swipe always comes with an online PIN: TDES DUKPT in DE52 with its KSN in
 * DE53, or AES DUKPT in DE111 (payments/iso8583/pin-data.ts). A chip or contactless purchase (DE22
 * 05x / 07x) carries DE55, and a PIN only when its CVM results (9F34) say online PIN.
 */
export const PURCHASE_MANDATORY_FIELDS = [3, 4, 7, 11, 12, 13, 22, 25, 41, 42, 49] as const;

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
  readonly entryMode: EntryMode;
  /** Chip and contactless: DE55 and DE23. */
  readonly chip?: ChipRequestData;
  readonly pinBlock?: Buffer;
  readonly ksn?: Buffer;
}

const ONLINE_PIN_CVM = 0x02;

/** The purchase's fields, or undefined when the request fails the format check. */
export function readPurchaseRequest(message: IsoMessage, cardDataBdks: CardDataBdks): PurchaseRequest | undefined {
  if (PURCHASE_MANDATORY_FIELDS.some((field) => !message.fields.has(field))) return undefined;
  const card = readRequestCard(message, cardDataBdks);
  if (card === undefined) return undefined;
  const entryMode = entryModeOf(getText(message, 22)!);
  let chip: ChipRequestData | undefined;
  if (entryMode === 'chip' || entryMode === 'contactless') {
    const de55 = message.fields.get(55);
    if (!(de55 instanceof Uint8Array)) return undefined;
    const tags = readIccData(de55).tags;
    chip = { tags, panSequenceNumber: (getText(message, 23) ?? '000').slice(-2) };
  }
  const pin = readPinData(message);
  const pinRequired = chip === undefined || ((chip.tags.get('9F34')?.[0] ?? ONLINE_PIN_CVM) & 0x3f) === ONLINE_PIN_CVM;
  if (!pin.ok && (pinRequired || pin.reason === 'malformed')) return undefined;
  return {
    pan: card.pan,
    processingCode: getText(message, 3)!,
    amountMinor: Number(getText(message, 4)),
    currencyNumeric: getText(message, 49)!,
    stan: getText(message, 11)!,
    transmissionDateTime: getText(message, 7)!,
    tid: getText(message, 41)!,
    merchantId: getText(message, 42)!,
    track2: card.track2,
    entryMode,
    ...(chip ? { chip } : {}),
    ...(pin.ok ? { pinBlock: pin.pin.pinBlock, ksn: pin.pin.ksn } : {}),
  };
}
