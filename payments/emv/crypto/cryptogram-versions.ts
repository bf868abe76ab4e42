/**
 * Cryptogram versions (CVN): what a card computes its application cryptograms with and how an
 * issuer checks them. Each one is what its scheme defines, not one recipe for all:
 *
 * | CVN | AC key | AC data after the CDOL1 fields | padding | ARPC | issuer application data (9F10) |
 * |---|---|---|---|---|---|
 * | Visa 10 | ICC master key (no session key) | AIP, ATC, CVR (4) | ISO 9797-1 method 1 | method 1, ICC master key | `06` DKI `0A` CVR(4: `03` + 3) |
 * | Visa 18 | EMV common session key, R = ATC‖00…00 | AIP, ATC, whole 9F10 | method 2 | method 2 (CSU), session key | `06` DKI `12` CVR(4) |
 * | UnionPay (PBOC) 01 | PBOC session key (ATC, ATC ⊕ FFFF) | AIP, ATC, CVR (4) | method 2 | method 1, session key | `07` DKI `01` CVR(4) `01` (3DES) `0A` IDD(10) |
 * | Mastercard 16 (M/Chip 4) | Mastercard SKD, R = ATC‖0000‖UN | AIP, ATC, CVR (6) | method 2 | method 1, ICC master key | KDI `10` CVR(6) DAC(2) counters(8) |
 *
 * "The CDOL1 fields" are the EMV Book 2 recommended minimum, in order: 9F02, 9F03, 9F1A, 95, 5F2A,
 * 9A, 9C, 9F37. Sources: pyemv cvn.py (Visa 10 and 18), jPOS CVNMCDataBuilder and
 * JCESecurityModule (M/Chip, "MCHIP" SKD, ARPC under the ICC master key), JR/T 0025.5 as worked
 * through in the published PBOC example used in the tests. The tests hold the vectors.
 *
 * Issuer scripts are MACed under a secure-messaging key: Visa's SM derivation (Visa CVNs), the PBOC
 * session key derivation on MK-SMI (UnionPay), and the EMV common derivation with R = the ARQC
 * (Mastercard). The MAC covers CLA INS P1 P2 Lc ‖ ATC ‖ ARQC ‖ data (ISO 9797-1 alg. 3, method 2).
 */
import { timingSafeEqual } from 'node:crypto';
import { xor } from '../../crypto/xor.ts';
import { retailMac, tdesEncryptEcb, type MacPadding } from './emv-des.ts';
import { atcDiversifier, atcUnDiversifier, deriveEmvCommonSessionKey, derivePbocSessionKey, deriveVisaSecureMessagingKey } from './key-derivation.ts';

export const CRYPTOGRAM_VERSION_IDS = ['visa-cvn10', 'visa-cvn18', 'unionpay-cvn01', 'mastercard-cvn16'] as const;
export type CryptogramVersionId = (typeof CRYPTOGRAM_VERSION_IDS)[number];

/** The data a cryptogram covers, by tag (values as on the card: binary, BCD). */
export interface AcData {
  readonly amount: Buffer; // 9F02
  readonly amountOther: Buffer; // 9F03
  readonly terminalCountry: Buffer; // 9F1A
  readonly tvr: Buffer; // 95
  readonly currency: Buffer; // 5F2A
  readonly date: Buffer; // 9A
  readonly type: Buffer; // 9C
  readonly unpredictableNumber: Buffer; // 9F37
  readonly aip: Buffer; // 82
  readonly atc: Buffer; // 9F36
  readonly iad: Buffer; // 9F10
}

/** ICC master keys, one per purpose, each derived from its issuer master key by option A. */
export interface IccMasterKeys {
  readonly ac: Buffer;
  readonly smi: Buffer;
  readonly smc: Buffer;
}

/** What the issuer returns to the card in tag 91. */
export type ArpcInput = { readonly method: 1; readonly arc: Buffer } | { readonly method: 2; readonly csu: Buffer; readonly proprietary?: Buffer };

export interface CryptogramVersion {
  readonly id: CryptogramVersionId;
  /** The CVN byte in 9F10. */
  readonly cvn: number;
  readonly description: string;
  readonly sessionKeyDerivation: string;
  readonly arpcMethod: 1 | 2;
  /** Builds the card's 9F10 around its CVR. */
  issuerApplicationData(dki: number, cvr: Buffer): Buffer;
  /** The CVR inside a 9F10 of this version; undefined when 9F10 does not have this layout. */
  cvrOf(iad: Buffer): Buffer | undefined;
  /** The cryptogram (ARQC, TC or AAC: the CID says which, the computation is the same). */
  applicationCryptogram(mkAc: Buffer, data: AcData): Buffer;
  /** Issuer authentication data (tag 91) for an ARQC. */
  issuerAuthenticationData(mkAc: Buffer, arqc: Buffer, data: Pick<AcData, 'atc' | 'unpredictableNumber'>, input: ArpcInput): Buffer;
  /** The MAC of an issuer script command, as the card checks it. */
  scriptMac(mkSmi: Buffer, command: { header: Buffer; data: Buffer }, atc: Buffer, arqc: Buffer): Buffer;
}

const EMV_MINIMUM_FIELDS = (data: AcData): Buffer[] => [
  data.amount,
  data.amountOther,
  data.terminalCountry,
  data.tvr,
  data.currency,
  data.date,
  data.type,
  data.unpredictableNumber,
  data.aip,
  data.atc,
];

function arpcMethod1(key: Buffer, arqc: Buffer, arc: Buffer): Buffer {
  if (arc.length !== 2) throw new RangeError('the ARPC response code is 2 bytes');
  return Buffer.concat([tdesEncryptEcb(key, xor(arqc, Buffer.concat([arc, Buffer.alloc(6)]))), arc]);
}

function arpcMethod2(key: Buffer, arqc: Buffer, csu: Buffer, proprietary: Buffer = Buffer.alloc(0)): Buffer {
  if (csu.length !== 4) throw new RangeError('the card status update is 4 bytes');
  return Buffer.concat([retailMac(key, Buffer.concat([arqc, csu, proprietary]), 2, 4), csu, proprietary]);
}

function expectMethod<M extends 1 | 2>(input: ArpcInput, method: M): Extract<ArpcInput, { method: M }> {
  if (input.method !== method) throw new RangeError(`this cryptogram version uses ARPC method ${method}`);
  return input as Extract<ArpcInput, { method: M }>;
}

const scriptMacData = (command: { header: Buffer; data: Buffer }, atc: Buffer, arqc: Buffer) => Buffer.concat([command.header, atc, arqc, command.data]);

function mac(key: Buffer, data: Buffer[], padding: MacPadding): Buffer {
  return retailMac(key, Buffer.concat(data), padding);
}

const visaCvn10: CryptogramVersion = {
  id: 'visa-cvn10',
  cvn: 0x0a,
  description: 'Visa CVN 10 (VIS 1.4): AC under the ICC master key, zero padding',
  sessionKeyDerivation: 'none: the ICC master key (UDK) itself',
  arpcMethod: 1,
  issuerApplicationData: (dki, cvr) => Buffer.concat([Buffer.from([0x06, dki, 0x0a]), cvr]),
  cvrOf: (iad) => (iad.length >= 7 && iad[0] === 0x06 && iad[2] === 0x0a ? iad.subarray(3, 7) : undefined),
  applicationCryptogram: (mkAc, data) => mac(mkAc, [...EMV_MINIMUM_FIELDS(data), visaCvn10Cvr(data.iad)], 1),
  issuerAuthenticationData: (mkAc, arqc, _data, input) => arpcMethod1(mkAc, arqc, expectMethod(input, 1).arc),
  scriptMac: (mkSmi, command, atc, arqc) => retailMac(deriveVisaSecureMessagingKey(mkSmi, atc), scriptMacData(command, atc, arqc), 2, 8),
};

function visaCvn10Cvr(iad: Buffer): Buffer {
  const cvr = visaCvn10.cvrOf(iad);
  if (!cvr) throw new RangeError('9F10 is not a Visa CVN 10 layout');
  return cvr;
}

const visaCvn18: CryptogramVersion = {
  id: 'visa-cvn18',
  cvn: 0x12,
  description: 'Visa CVN 18 (VIS 1.5+): EMV common session key, the whole 9F10 in the AC data',
  sessionKeyDerivation: 'EMV common session key derivation, R = ATC || 00 00 00 00 00 00',
  arpcMethod: 2,
  issuerApplicationData: (dki, cvr) => Buffer.concat([Buffer.from([0x06, dki, 0x12]), cvr]),
  cvrOf: (iad) => (iad.length >= 7 && iad[0] === 0x06 && iad[2] === 0x12 ? iad.subarray(3, 7) : undefined),
  applicationCryptogram: (mkAc, data) => mac(deriveEmvCommonSessionKey(mkAc, atcDiversifier(data.atc)), [...EMV_MINIMUM_FIELDS(data), data.iad], 2),
  issuerAuthenticationData: (mkAc, arqc, data, input) => {
    const { csu, proprietary } = expectMethod(input, 2);
    return arpcMethod2(deriveEmvCommonSessionKey(mkAc, atcDiversifier(data.atc)), arqc, csu, proprietary);
  },
  scriptMac: visaCvn10.scriptMac,
};

const UNIONPAY_IAD_LENGTH = 19;
const unionpayCvn01: CryptogramVersion = {
  id: 'unionpay-cvn01',
  cvn: 0x01,
  description: 'UnionPay IC (PBOC 2.0/3.0) CVN 01: PBOC session key, 3DES',
  sessionKeyDerivation: 'PBOC session key: TDES(MK)[00…00 || ATC] || TDES(MK)[00…00 || ATC xor FFFF]',
  arpcMethod: 1,
  // Algorithm identifier 01 = 3DES (04 would be SM4); then the 10-byte issuer discretionary data.
  issuerApplicationData: (dki, cvr) => Buffer.concat([Buffer.from([0x07, dki, 0x01]), cvr, Buffer.from([0x01, 0x0a]), Buffer.alloc(10)]),
  cvrOf: (iad) => (iad.length === UNIONPAY_IAD_LENGTH && iad[0] === 0x07 && iad[2] === 0x01 ? iad.subarray(3, 7) : undefined),
  applicationCryptogram: (mkAc, data) => {
    const cvr = unionpayCvn01.cvrOf(data.iad);
    if (!cvr) throw new RangeError('9F10 is not a UnionPay CVN 01 layout');
    return mac(derivePbocSessionKey(mkAc, data.atc), [...EMV_MINIMUM_FIELDS(data), cvr], 2);
  },
  issuerAuthenticationData: (mkAc, arqc, data, input) => arpcMethod1(derivePbocSessionKey(mkAc, data.atc), arqc, expectMethod(input, 1).arc),
  scriptMac: (mkSmi, command, atc, arqc) => retailMac(derivePbocSessionKey(mkSmi, atc), scriptMacData(command, atc, arqc), 2, 4),
};

const MASTERCARD_IAD_LENGTH = 18;
const mastercardCvn16: CryptogramVersion = {
  id: 'mastercard-cvn16',
  cvn: 0x10,
  description: 'Mastercard M/Chip 4 CVN 16: Mastercard session key (ATC and UN)',
  sessionKeyDerivation: 'Mastercard SKD: EMV common session key derivation with R = ATC || 00 00 || UN',
  arpcMethod: 1,
  issuerApplicationData: (dki, cvr) => Buffer.concat([Buffer.from([dki, 0x10]), cvr, Buffer.alloc(MASTERCARD_IAD_LENGTH - 2 - cvr.length)]),
  cvrOf: (iad) => (iad.length === MASTERCARD_IAD_LENGTH && iad[1] === 0x10 ? iad.subarray(2, 8) : undefined),
  applicationCryptogram: (mkAc, data) => {
    const cvr = mastercardCvn16.cvrOf(data.iad);
    if (!cvr) throw new RangeError('9F10 is not an M/Chip 4 CVN 16 layout');
    return mac(deriveEmvCommonSessionKey(mkAc, atcUnDiversifier(data.atc, data.unpredictableNumber)), [...EMV_MINIMUM_FIELDS(data), cvr], 2);
  },
  issuerAuthenticationData: (mkAc, arqc, _data, input) => arpcMethod1(mkAc, arqc, expectMethod(input, 1).arc),
  scriptMac: (mkSmi, command, atc, arqc) => retailMac(deriveEmvCommonSessionKey(mkSmi, arqc), scriptMacData(command, atc, arqc), 2, 8),
};

export const CRYPTOGRAM_VERSIONS: Readonly<Record<CryptogramVersionId, CryptogramVersion>> = {
  'visa-cvn10': visaCvn10,
  'visa-cvn18': visaCvn18,
  'unionpay-cvn01': unionpayCvn01,
  'mastercard-cvn16': mastercardCvn16,
};

/** The version a 9F10 announces, by its layout and CVN byte. */
export function cryptogramVersionOf(iad: Buffer): CryptogramVersion | undefined {
  return Object.values(CRYPTOGRAM_VERSIONS).find((version) => version.cvrOf(iad) !== undefined);
}

/** Constant-time comparison of two cryptograms or MACs. */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
