/**
 * Profile v4: a reversal (0400/0401) finds its original by DE41 + DE90 and a batch upload (0320)
 * by DE37, so neither needs the card; one that carries card data anyway is refused (30), so a
 * station that still sends it is found out rather than leaking a PAN for nothing.
 */
import { ENCRYPTED_CARD_DATA_FIELD } from '../../payments/iso8583/encrypted-card-data.ts';
import type { IsoMessage } from '../../payments/iso8583/message.ts';

const CARD_DATA_FIELDS = [2, 35, ENCRYPTED_CARD_DATA_FIELD] as const;

export function carriesCardData(message: IsoMessage): boolean {
  return CARD_DATA_FIELDS.some((field) => message.fields.has(field));
}
