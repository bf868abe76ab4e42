/**
 * The card a card-present request (purchase, balance inquiry, refund) carries, in one of two forms:
 *
 *   clear      DE2 and DE35: a plain reader's swipe, or a chip's track 2 equivalent data (tag 57),
 *              which only ever travel inside the link's TLS;
 *   encrypted  DE120 from an encrypting reader, with neither DE2 nor DE35: the tracks under the
 *              reader's DUKPT data key, decrypted here with the reader's BDK (profile v4).
 *
 * Both, neither, half a pair, a DE120 whose layout is wrong or that does not decrypt to tracks: the
 * request is malformed, and the host answers 30. The card checks then run the same on either form.
 */
import type { CardData } from '../../common/card/tracks.ts';
import { parseTrack2 } from '../../common/card/tracks.ts';
import { readEncryptedCardData } from '../../payments/iso8583/encrypted-card-data.ts';
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { CardDataDecryptError, decryptCardData, type CardDataBdks } from '../../payments/sred/decrypt-card-data.ts';

const PAN_FIELD = 2;
const TRACK2_FIELD = 35;

export interface RequestCard {
  readonly pan: string;
  readonly track2: CardData;
  /** Whether it came encrypted from the reader (DE120). */
  readonly encrypted: boolean;
}

/** The request's card, or undefined when it carries none that can be read (a format error). */
export function readRequestCard(message: IsoMessage, bdks: CardDataBdks): RequestCard | undefined {
  const encrypted = readEncryptedCardData(message);
  const clearFields = [PAN_FIELD, TRACK2_FIELD].filter((field) => message.fields.has(field)).length;
  if (encrypted.ok) {
    if (clearFields > 0) return undefined;
    try {
      const track2 = decryptCardData(encrypted.encrypted, bdks);
      return { pan: track2.pan, track2, encrypted: true };
    } catch (error) {
      if (error instanceof CardDataDecryptError) return undefined;
      throw error;
    }
  }
  if (encrypted.reason === 'malformed' || clearFields !== 2) return undefined;
  const track2 = parseTrack2(`;${getText(message, TRACK2_FIELD)}?`);
  return track2.ok ? { pan: getText(message, PAN_FIELD)!, track2: track2.card, encrypted: false } : undefined;
}
