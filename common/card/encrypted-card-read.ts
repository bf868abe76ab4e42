/**
 * What an encrypting (SRED) card reader hands the station for a swipe: the shape encrypting readers
 * really use. The reader (the PIN pad's own stripe head) reads the card, encrypts track 2 and track
 * 1 inside the device under its DUKPT data key, and lets out only what a person may see or a
 * terminal needs to choose a scheme: the masked PAN, the BIN, expiry and service code, plus the
 * encrypted block and its key serial number. There is no field here for a clear PAN or track, so
 * station code handed one of these cannot hold clear card data; `CarriesClearCardData` says so at
 * the type level, and encrypted-card-read.test.ts proves it.
 */

export const CARD_DATA_KEY_TYPES = ['tdes-dukpt', 'aes-dukpt'] as const;
/** tdes-dukpt: ANSI X9.24-1 TDES DUKPT data key (data variant, request); aes-dukpt: X9.24-3 AES-128 "Data Encryption, encrypt". */
export type CardDataKeyType = (typeof CARD_DATA_KEY_TYPES)[number];

export interface EncryptedCardData {
  readonly keyType: CardDataKeyType;
  /** The data key's own serial number (10 bytes TDES, 12 AES): never the PIN key's. */
  readonly ksn: Uint8Array;
  /** The tracks, CBC-encrypted inside the reader (payments/sred/track-plaintext.ts has the layout). */
  readonly ciphertext: Uint8Array;
}

export interface EncryptedCardRead {
  /** First 6 and last 4 digits, the rest '*': the length of the PAN shows, its middle does not. */
  readonly maskedPan: string;
  /** The issuer BIN: 8 digits for Visa and Mastercard PANs of 16 digits or more, else 6 (binOf). */
  readonly bin: string;
  /** YYMM. */
  readonly expiry: string;
  readonly serviceCode: string;
  readonly encrypted: EncryptedCardData;
}

/** Names of fields that would hold clear card data: none may appear in what an encrypting reader hands over. */
export type ClearCardDataField = 'pan' | 'track' | 'tracks' | 'track1' | 'track2' | 'discretionary' | 'cardholderName';

type Leaf = string | number | boolean | bigint | symbol | null | undefined | Uint8Array;

/** true when T, or anything inside it, has a field named as clear card data. */
export type CarriesClearCardData<T> = [T] extends [Leaf]
  ? false
  : T extends readonly (infer Element)[]
    ? CarriesClearCardData<Element>
    : T extends object
      ? [Extract<keyof T, ClearCardDataField>] extends [never]
        ? true extends { [K in keyof T]-?: CarriesClearCardData<T[K]> }[keyof T]
          ? true
          : false
        : true
      : false;

/** "621234******1232": 6 digits, at least two '*', 4 digits, 12 to 19 characters. */
export function isMaskedPan(maskedPan: string): boolean {
  return /^\d{6}\*{2,9}\d{4}$/.test(maskedPan);
}
