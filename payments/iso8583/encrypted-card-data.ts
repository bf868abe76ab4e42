/**
 * Where an encrypting reader's card data travels (profile v4): the private-use field DE120
 * (b..999, LLL), key type, KSN and encrypted tracks together, so a block can never be paired with
 * another key's serial number:
 *
 *   key type (1 byte) | KSN (10 or 12 bytes) | ciphertext (whole cipher blocks, at most 128 bytes)
 *
 *   0x01  TDES DUKPT data key (ANSI X9.24-1 data variant, request, with its one-way function),
 *         10-byte KSN, TDES-CBC: a multiple of 8 bytes
 *   0x02  AES-128 DUKPT data key (ANSI X9.24-3 "Data Encryption, encrypt"), 12-byte KSN,
 *         AES-CBC: a multiple of 16 bytes
 *
 * A request with DE120 carries no DE2 and no DE35: the host decrypts the tracks with the reader's
 * BDK (payments/sred/decrypt-card-data.ts). docs/host-interface.md has the same in prose.
 */
import type { CardDataKeyType, EncryptedCardData } from '../../common/card/encrypted-card-read.ts';
import { MAX_TRACK_CIPHERTEXT_BYTES } from '../sred/track-plaintext.ts';
import { getBytes, type IsoMessage } from './message.ts';

export const ENCRYPTED_CARD_DATA_FIELD = 120;

const LAYOUTS: Readonly<Record<CardDataKeyType, { readonly code: number; readonly ksn: number; readonly block: number }>> = {
  'tdes-dukpt': { code: 0x01, ksn: 10, block: 8 },
  'aes-dukpt': { code: 0x02, ksn: 12, block: 16 },
};

export class EncryptedCardDataError extends Error {
  override readonly name = 'EncryptedCardDataError';
}

/** The request field that carries this encrypted card data. */
export function encryptedCardDataField(encrypted: EncryptedCardData): Record<number, Uint8Array> {
  const layout = LAYOUTS[encrypted.keyType];
  if (!fits(layout, encrypted.ksn.length, encrypted.ciphertext.length)) {
    throw new EncryptedCardDataError(`a ${encrypted.ksn.length}-byte KSN with ${encrypted.ciphertext.length} bytes of ciphertext is no ${encrypted.keyType} card data`);
  }
  return { [ENCRYPTED_CARD_DATA_FIELD]: Uint8Array.from([layout.code, ...encrypted.ksn, ...encrypted.ciphertext]) };
}

/** The encrypted card data a request carries: `missing` without DE120, `malformed` when its layout is wrong (30 at a host). */
export function readEncryptedCardData(message: IsoMessage): { readonly ok: true; readonly encrypted: EncryptedCardData } | { readonly ok: false; readonly reason: 'missing' | 'malformed' } {
  const field = getBytes(message, ENCRYPTED_CARD_DATA_FIELD);
  if (field === undefined) return { ok: false, reason: 'missing' };
  const keyType = (Object.keys(LAYOUTS) as CardDataKeyType[]).find((type) => LAYOUTS[type].code === field[0]);
  if (keyType === undefined) return { ok: false, reason: 'malformed' };
  const layout = LAYOUTS[keyType];
  if (!fits(layout, layout.ksn, field.length - 1 - layout.ksn)) return { ok: false, reason: 'malformed' };
  return { ok: true, encrypted: { keyType, ksn: Buffer.from(field.subarray(1, 1 + layout.ksn)), ciphertext: Buffer.from(field.subarray(1 + layout.ksn)) } };
}

function fits(layout: { ksn: number; block: number }, ksnBytes: number, ciphertextBytes: number): boolean {
  return ksnBytes === layout.ksn && ciphertextBytes > 0 && ciphertextBytes % layout.block === 0 && ciphertextBytes <= MAX_TRACK_CIPHERTEXT_BYTES;
}
