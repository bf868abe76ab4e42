/**
 * What a virtual EMV card is personalised with (its "card image"), and the data objects and records
 * built from it. The test PKI tool (scripts/emv-test-pki.ts) builds the same records to sign them,
 * so what the card returns is exactly what its ICC certificate covers.
 *
 * A card image is test data (bank/deck/chip-cards.json): keys and the ICC private key in clear.
 */
import { z } from 'zod';
import { CRYPTOGRAM_VERSIONS, CRYPTOGRAM_VERSION_IDS, type CryptogramVersion } from '../crypto/cryptogram-versions.ts';
import type { RsaPrivateJwk } from '../crypto/rsa.ts';
import { buildTlv, encodeDol, type DolEntry } from '../tlv.ts';

const hex = (min: number, max: number) => z.string().regex(new RegExp(`^([0-9A-F]{2}){${min},${max}}$`), `${min}–${max} bytes of upper-case hex`);

export const ChipApplicationSchema = z.strictObject({
  aid: hex(5, 16),
  label: z.string().regex(/^[ -~]{1,16}$/),
  /** Application priority indicator, 1 (highest) to 15; bit 8 set asks for cardholder confirmation. */
  priority: z.number().int().min(1).max(0x8f),
});

export const CardFaultsSchema = z.strictObject({
  /** Every application answers SELECT with 6283, as a card the issuer blocked. */
  applicationBlocked: z.boolean().optional(),
  /** The card refuses the transaction at the second GENERATE AC (AAC) whatever the issuer said. */
  declinesAtCompletion: z.boolean().optional(),
  /** The chip does not answer the reset: a technical failure the terminal may fall back from. */
  mute: z.boolean().optional(),
});

export const ChipCardImageSchema = z.strictObject({
  cardId: z.string(),
  pan: z.string().regex(/^\d{12,19}$/),
  panSequenceNumber: z.string().regex(/^\d{2}$/),
  /** YYMMDD */
  expiry: z.string().regex(/^\d{6}$/),
  effective: z.string().regex(/^\d{6}$/),
  cardholderName: z.string(),
  /** PAN D YYMM service code discretionary (iCVV first), as the hex digits of tag 57 (F-padded to bytes). */
  track2Equivalent: z.string().regex(/^\d{12,19}D\d{7,}F?$/),
  /** ISO 3166 / 4217 numeric, 4 digits each (n3 in BCD). */
  issuerCountry: z.string().regex(/^\d{4}$/),
  currency: z.string().regex(/^\d{4}$/),
  applications: z.array(ChipApplicationSchema).min(1),
  cryptogramVersion: z.enum(CRYPTOGRAM_VERSION_IDS),
  /** Derivation key index in 9F10. */
  dki: z.number().int().min(0).max(255),
  /** ICC master keys (option A from the issuer's master keys, unless the card is personalised to misbehave). */
  keys: z.strictObject({ ac: hex(16, 16), smi: hex(16, 16), smc: hex(16, 16) }),
  interfaces: z.strictObject({ contact: z.boolean(), contactless: z.boolean() }),
  /** Offline data authentication: DDA with these certificates and the card's own RSA key. */
  oda: z
    .strictObject({
      caIndex: z.number().int().min(0).max(255),
      issuerCertificate: hex(64, 248),
      issuerRemainder: hex(0, 248),
      issuerExponent: hex(1, 3),
      iccCertificate: hex(64, 248),
      iccRemainder: hex(0, 248),
      iccExponent: hex(1, 3),
      iccPrivateKey: z.looseObject({ kty: z.literal('RSA'), n: z.string(), e: z.string(), d: z.string() }),
    })
    .optional(),
  faults: CardFaultsSchema.optional(),
});
export type ChipCardImage = z.infer<typeof ChipCardImageSchema>;
export type ChipApplication = z.infer<typeof ChipApplicationSchema>;

export const ChipCardImagesSchema = z.strictObject({ description: z.string(), cards: z.array(ChipCardImageSchema) });

export function iccPrivateKeyOf(image: ChipCardImage): RsaPrivateJwk | undefined {
  return image.oda?.iccPrivateKey as RsaPrivateJwk | undefined;
}

export function versionOf(image: ChipCardImage): CryptogramVersion {
  return CRYPTOGRAM_VERSIONS[image.cryptogramVersion];
}

/** Whether the issuer authenticates to this card by EXTERNAL AUTHENTICATE (AIP) rather than in CDOL2. */
export function usesExternalAuthenticate(image: ChipCardImage): boolean {
  return image.cryptogramVersion === 'visa-cvn10' || image.cryptogramVersion === 'unionpay-cvn01';
}

/** AIP byte 1: DDA 0x20, cardholder verification 0x10, terminal risk management 0x08, issuer authentication 0x04. */
export function applicationInterchangeProfile(image: ChipCardImage): Buffer {
  const byte1 = (image.oda ? 0x20 : 0) | 0x10 | 0x08 | (usesExternalAuthenticate(image) ? 0x04 : 0);
  return Buffer.from([byte1, 0x00]);
}

const d = (tag: string, length: number): DolEntry => ({ tag, length });

export const CDOL1: readonly DolEntry[] = [
  d('9F02', 6),
  d('9F03', 6),
  d('9F1A', 2),
  d('95', 5),
  d('5F2A', 2),
  d('9A', 3),
  d('9C', 1),
  d('9F37', 4),
  d('9F35', 1),
  d('9F34', 3),
];

/** CDOL2: the authorisation response code, and the issuer authentication data where the card takes it here. */
export function cdol2(image: ChipCardImage): DolEntry[] {
  return [d('8A', 2), ...(usesExternalAuthenticate(image) ? [] : [d('91', versionOf(image).arpcMethod === 1 ? 10 : 8)]), d('95', 5), d('9F37', 4)];
}

export const DDOL: readonly DolEntry[] = [d('9F37', 4)];

/** The contactless PDOL (qVSDC / qUICS): what the card needs to compute its cryptogram at GPO. */
export const CONTACTLESS_PDOL: readonly DolEntry[] = [d('9F66', 4), ...CDOL1.slice(0, 8)];

/** CVM list: amount X and Y zero, then rules (method, condition); 0x40 in the method = apply the next rule if this one fails. */
export function cvmList(image: ChipCardImage): Buffer {
  const rules =
    image.cryptogramVersion === 'visa-cvn10' || image.cryptogramVersion === 'visa-cvn18'
      ? // Offline plaintext PIN first: a terminal without offline PIN falls through to online PIN.
        [0x41, 0x03, 0x42, 0x03, 0x5e, 0x03, 0x1f, 0x03]
      : [0x42, 0x03, 0x5e, 0x03, 0x1f, 0x03];
  return Buffer.concat([Buffer.alloc(8), Buffer.from(rules)]);
}

const bcd = (digits: string) => Buffer.from(digits.length % 2 ? `0${digits}` : digits, 'hex');

export function track2Bytes(image: ChipCardImage): Buffer {
  const digits = image.track2Equivalent.length % 2 ? `${image.track2Equivalent}F` : image.track2Equivalent;
  return Buffer.from(digits, 'hex');
}

/** The records of SFI 1: record 1 is the static data to be authenticated; record 2 carries the ODA keys. */
export function records(image: ChipCardImage): Buffer[] {
  const record1 = buildTlv([
    ['57', track2Bytes(image)],
    ['5A', Buffer.from(image.pan.length % 2 ? `${image.pan}F` : image.pan, 'hex')],
    ['5F20', Buffer.from(image.cardholderName, 'ascii')],
    ['5F24', bcd(image.expiry)],
    ['5F25', bcd(image.effective)],
    ['5F28', bcd(image.issuerCountry)],
    ['5F34', bcd(image.panSequenceNumber)],
    ['9F07', Buffer.from([0xff, 0x00])],
    ['9F08', Buffer.from([0x00, 0x30])],
    ['8C', encodeDol(CDOL1)],
    ['8D', encodeDol(cdol2(image))],
    ['8E', cvmList(image)],
    ['9F0D', Buffer.from('DC4000A800', 'hex')],
    ['9F0E', Buffer.from('0010000000', 'hex')],
    ['9F0F', Buffer.from('DC4004F800', 'hex')],
    ['9F42', bcd(image.currency)],
    ['9F4A', Buffer.from([0x82])],
  ]);
  const oda = image.oda;
  const record2 = oda
    ? buildTlv([
        ['8F', Buffer.from([oda.caIndex])],
        ['90', Buffer.from(oda.issuerCertificate, 'hex')],
        ...(oda.issuerRemainder ? ([['92', Buffer.from(oda.issuerRemainder, 'hex')]] as const) : []),
        ['9F32', Buffer.from(oda.issuerExponent, 'hex')],
        ['9F46', Buffer.from(oda.iccCertificate, 'hex')],
        ...(oda.iccRemainder ? ([['9F48', Buffer.from(oda.iccRemainder, 'hex')]] as const) : []),
        ['9F47', Buffer.from(oda.iccExponent, 'hex')],
        ['9F49', encodeDol(DDOL)],
      ])
    : buildTlv([['9F49', encodeDol(DDOL)]]);
  return [record1, record2];
}

/** The static data to be authenticated: record 1's value (SFI 1–10: without its 70 tag and length), then the AIP (9F4A). */
export function staticDataToAuthenticate(image: ChipCardImage): Buffer {
  return Buffer.concat([records(image)[0]!, applicationInterchangeProfile(image)]);
}

/** AFL: SFI 1, records 1 and 2, record 1 signed. */
export const AFL = Buffer.from([0x08, 0x01, 0x02, 0x01]);
