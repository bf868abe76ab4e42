/**
 * Cryptogram versions (CVN): what a card computes its application cryptograms with and how an
 * issuer checks them. Each one is what its scheme defines, not one recipe for all:
 *
 * | CVN | card key | AC key | AC data after the CDOL1 fields | padding | ARPC | issuer application data (9F10) |
 * |---|---|---|---|---|---|---|
 * | Visa 10 | option A | ICC master key (no session key) | AIP, ATC, CVR (4) | ISO 9797-1 method 1 | method 1, ICC master key | `06` DKI `0A` CVR(4: `03` + 3) |
 * | Visa 18 | option B | EMV common session key, R = ATC‖00…00 | AIP, ATC, whole 9F10 | method 2 | method 2 (CSU), session key | `06` DKI `12` CVR(4) |
 * | UnionPay (PBOC) 01 | option A | PBOC session key (ATC, ATC ⊕ FFFF) | AIP, ATC, CVR (4) | method 2 | method 1, session key | `07` DKI `01` CVR(4) `01` (3DES) `0A` IDD(10) |
 * | Mastercard 16 (M/Chip 4) | option B | Mastercard SKD, R = ATC‖0000‖UN | AIP, ATC, CVR (6) | method 2 | method 1, ICC master key | KDI `10` CVR(6) DAC(2) counters(8) |
 *
 * "The CDOL1 fields" are the EMV Book 2 recommended minimum, in order: 9F02, 9F03, 9F1A, 95, 5F2A,
 * 9A, 9C, 9F37. Sources: pyemv cvn.py (Visa 10 and 18), jPOS CVNMCDataBuilder and
 * JCESecurityModule (M/Chip, "MCHIP" SKD, ARPC under the ICC master key), JR/T 0025.5 as worked
 * through in a public PBOC example (a blog: no UnionPay or open-source vector was found; the tests
 * say which). The tests hold the vectors.
 *
 * Issuer scripts are MACed under a secure-messaging key (ISO 9797-1 alg. 3, method 2): Visa's SM
 * derivation (Visa CVNs) and the PBOC session key derivation on MK-SMI (UnionPay, 4-byte MAC), both
 * over CLA INS P1 P2 Lc ‖ ATC ‖ ARQC ‖ data; the EMV common derivation with R = the ARQC
 * (Mastercard) over CLA INS P1 P2 Lc ‖ data, as pyemv's HSM-checked Mastercard method does.
 */
import { timingSafeEqual } from 'node:crypto';
import { xor } from '../../crypto/xor.ts';
import { retailMac, tdesEncryptEcb, type MacPadding } from './emv-des.ts';
import { atcDiversifier, atcUnDiversifier, deriveEmvCommonSessionKey, deriveIccMasterKeyOptionA, deriveIccMasterKeyOptionB, derivePbocSessionKey, deriveVisaSecureMessagingKey } from './key-derivation.ts';

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
  /** Bytes of an issuer script command's MAC: 4 for UnionPay, 8 for the others. */
  readonly scriptMacLength: 4 | 8;
  /** The card's key from its issuer's master key: option A, or option B (Book 2's rule for PANs over 16 digits). */
  iccMasterKey(issuerMasterKey: Buffer, pan: string, panSequenceNumber: string): Buffer;
  /** Builds the card's 9F10 around its CVR. */
  issuerApplicationData(dki: number, cvr: Buffer): Buffer;
  /** The CVR inside a 9F10 of this version; undefined when 9F10 does not have this layout. */
  cvrOf(iad: Buffer): Buffer | undefined;
  /**
   * The session key a transaction's cryptograms are computed under (the card key itself where the
   * version has none). An issuer derives it once per request and uses it for the ARQC and the ARPC.
   */
  sessionKey(mkAc: Buffer, data: Pick<AcData, 'atc' | 'unpredictableNumber'>): Buffer;
  /** The cryptogram (ARQC, TC or AAC: the CID says which, the computation is the same) under the session key. */
  cryptogramUnder(sessionKey: Buffer, data: AcData): Buffer;
  /** Issuer authentication data (tag 91) for an ARQC, given the card key and the transaction's session key. */
  arpcUnder(mkAc: Buffer, sessionKey: Buffer, arqc: Buffer, input: ArpcInput): Buffer;
  /** The cryptogram from the card key: the session key, then cryptogramUnder. */
  applicationCryptogram(mkAc: Buffer, data: AcData): Buffer;
  /** Issuer authentication data (tag 91) for an ARQC, from the card key. */
  issuerAuthenticationData(mkAc: Buffer, arqc: Buffer, data: Pick<AcData, 'atc' | 'unpredictableNumber'>, input: ArpcInput): Buffer;
  /** The MAC of an issuer script command, as the card checks it. */
  scriptMac(mkSmi: Buffer, command: { header: Buffer; data: Buffer }, atc: Buffer, arqc: Buffer): Buffer;
}

/** What a version defines; the derived operations (from the card key) are the same for all. */
type VersionDefinition = Omit<CryptogramVersion, 'applicationCryptogram' | 'issuerAuthenticationData'>;

function defineVersion(definition: VersionDefinition): CryptogramVersion {
  return {
    ...definition,
    applicationCryptogram: (mkAc, data) => definition.cryptogramUnder(definition.sessionKey(mkAc, data), data),
    issuerAuthenticationData: (mkAc, arqc, data, input) => definition.arpcUnder(mkAc, definition.sessionKey(mkAc, data), arqc, input),
  };
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

function cvrFrom(version: { id: string; cvrOf(iad: Buffer): Buffer | undefined }, iad: Buffer): Buffer {
  const cvr = version.cvrOf(iad);
  if (!cvr) throw new RangeError(`9F10 is not a ${version.id} layout`);
  return cvr;
}

const visaScriptMac: CryptogramVersion['scriptMac'] = (mkSmi, command, atc, arqc) => retailMac(deriveVisaSecureMessagingKey(mkSmi, atc), scriptMacData(command, atc, arqc), 2, 8);

const visaCvn10: CryptogramVersion = defineVersion({
  id: 'visa-cvn10',
  cvn: 0x0a,
  description: 'Visa CVN 10 (VIS 1.4): AC under the ICC master key, zero padding',
  sessionKeyDerivation: 'none: the ICC master key (UDK) itself',
  arpcMethod: 1,
  scriptMacLength: 8,
  // VIS 1.4's CVN 10 derives by option A whatever the PAN's length (pyemv VisaCVN10).
  iccMasterKey: deriveIccMasterKeyOptionA,
  issuerApplicationData: (dki, cvr) => Buffer.concat([Buffer.from([0x06, dki, 0x0a]), cvr]),
  cvrOf: (iad) => (iad.length >= 7 && iad[0] === 0x06 && iad[2] === 0x0a ? iad.subarray(3, 7) : undefined),
  sessionKey: (mkAc) => mkAc,
  cryptogramUnder: (key, data) => mac(key, [...EMV_MINIMUM_FIELDS(data), cvrFrom(visaCvn10, data.iad)], 1),
  arpcUnder: (mkAc, _sessionKey, arqc, input) => arpcMethod1(mkAc, arqc, expectMethod(input, 1).arc),
  scriptMac: visaScriptMac,
});

const visaCvn18: CryptogramVersion = defineVersion({
  id: 'visa-cvn18',
  cvn: 0x12,
  description: 'Visa CVN 18 (VIS 1.5+): EMV common session key, the whole 9F10 in the AC data',
  sessionKeyDerivation: 'EMV common session key derivation, R = ATC || 00 00 00 00 00 00',
  arpcMethod: 2,
  scriptMacLength: 8,
  iccMasterKey: deriveIccMasterKeyOptionB,
  issuerApplicationData: (dki, cvr) => Buffer.concat([Buffer.from([0x06, dki, 0x12]), cvr]),
  cvrOf: (iad) => (iad.length >= 7 && iad[0] === 0x06 && iad[2] === 0x12 ? iad.subarray(3, 7) : undefined),
  sessionKey: (mkAc, data) => deriveEmvCommonSessionKey(mkAc, atcDiversifier(data.atc)),
  cryptogramUnder: (key, data) => mac(key, [...EMV_MINIMUM_FIELDS(data), data.iad], 2),
  arpcUnder: (_mkAc, sessionKey, arqc, input) => {
    const { csu, proprietary } = expectMethod(input, 2);
    return arpcMethod2(sessionKey, arqc, csu, proprietary);
  },
  scriptMac: visaScriptMac,
});

const UNIONPAY_IAD_LENGTH = 19;
const unionpayCvn01: CryptogramVersion = defineVersion({
  id: 'unionpay-cvn01',
  cvn: 0x01,
  description: 'UnionPay IC (PBOC 2.0/3.0) CVN 01: PBOC session key, 3DES',
  sessionKeyDerivation: 'PBOC session key: TDES(MK)[00…00 || ATC] || TDES(MK)[00…00 || ATC xor FFFF]',
  arpcMethod: 1,
  scriptMacLength: 4,
  // JR/T 0025 keeps option A (the rightmost 16 digits) for every PAN length.
  iccMasterKey: deriveIccMasterKeyOptionA,
  // Algorithm identifier 01 = 3DES (04 would be SM4); then the 10-byte issuer discretionary data.
  issuerApplicationData: (dki, cvr) => Buffer.concat([Buffer.from([0x07, dki, 0x01]), cvr, Buffer.from([0x01, 0x0a]), Buffer.alloc(10)]),
  cvrOf: (iad) => (iad.length === UNIONPAY_IAD_LENGTH && iad[0] === 0x07 && iad[2] === 0x01 ? iad.subarray(3, 7) : undefined),
  sessionKey: (mkAc, data) => derivePbocSessionKey(mkAc, data.atc),
  cryptogramUnder: (key, data) => mac(key, [...EMV_MINIMUM_FIELDS(data), cvrFrom(unionpayCvn01, data.iad)], 2),
  arpcUnder: (_mkAc, sessionKey, arqc, input) => arpcMethod1(sessionKey, arqc, expectMethod(input, 1).arc),
  scriptMac: (mkSmi, command, atc, arqc) => retailMac(derivePbocSessionKey(mkSmi, atc), scriptMacData(command, atc, arqc), 2, 4),
});

const MASTERCARD_IAD_LENGTH = 18;
const mastercardCvn16: CryptogramVersion = defineVersion({
  id: 'mastercard-cvn16',
  cvn: 0x10,
  description: 'Mastercard M/Chip 4 CVN 16: Mastercard session key (ATC and UN)',
  sessionKeyDerivation: 'Mastercard SKD: EMV common session key derivation with R = ATC || 00 00 || UN',
  arpcMethod: 1,
  scriptMacLength: 8,
  iccMasterKey: deriveIccMasterKeyOptionB,
  issuerApplicationData: (dki, cvr) => Buffer.concat([Buffer.from([dki, 0x10]), cvr, Buffer.alloc(MASTERCARD_IAD_LENGTH - 2 - cvr.length)]),
  cvrOf: (iad) => (iad.length === MASTERCARD_IAD_LENGTH && iad[1] === 0x10 ? iad.subarray(2, 8) : undefined),
  sessionKey: (mkAc, data) => deriveEmvCommonSessionKey(mkAc, atcUnDiversifier(data.atc, data.unpredictableNumber)),
  cryptogramUnder: (key, data) => mac(key, [...EMV_MINIMUM_FIELDS(data), cvrFrom(mastercardCvn16, data.iad)], 2),
  // M/Chip 4's ARPC is under the card key, not the session key (jPOS JCESecurityModule, MCHIP).
  arpcUnder: (mkAc, _sessionKey, arqc, input) => arpcMethod1(mkAc, arqc, expectMethod(input, 1).arc),
  // The ARQC is in the key already: the MAC covers the command only (pyemv's Mastercard method, "not padded with transaction data").
  scriptMac: (mkSmi, command, _atc, arqc) => retailMac(deriveEmvCommonSessionKey(mkSmi, arqc), Buffer.concat([command.header, command.data]), 2, 8),
});

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

/** An issuer script command with its secure-messaging MAC (CLA INS P1 P2 Lc data MAC), as the issuer sends it in a 71 or 72 template. */
export function macedScriptCommand(version: CryptogramVersion, mkSmi: Buffer, header: Buffer, data: Buffer, atc: Buffer, arqc: Buffer): Buffer {
  const fullHeader = Buffer.concat([header, Buffer.from([data.length + version.scriptMacLength])]);
  const mac = version.scriptMac(mkSmi, { header: fullHeader, data }, atc, arqc).subarray(0, version.scriptMacLength);
  return Buffer.concat([fullHeader, data, mac]);
}
