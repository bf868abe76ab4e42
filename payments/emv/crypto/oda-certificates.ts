/**
 * The certificates and signed data of offline data authentication (EMV Book 2 §5 and §6), built
 * (by the test PKI and the virtual cards) and recovered and checked (by the terminal kernel):
 *
 *   Issuer public key certificate (90), signed by the CA, format 02:
 *     6A 02 | issuer id (4, leftmost PAN digits, F-padded) | expiry MMYY | serial (3) | 01 01 |
 *     key length | exponent length | leftmost key digits (N_CA − 36, BB-padded) | SHA-1 | BC
 *     remainder in 92 when the key does not fit.
 *   ICC public key certificate (9F46), signed by the issuer, format 04: the same with the PAN
 *     (10, F-padded) and N_I − 42 leftmost digits; the hash also covers the static data to be
 *     authenticated; remainder in 9F48.
 *   Signed dynamic application data (9F4B, DDA), signed by the card, format 05:
 *     6A 05 01 | L_DD | ICC dynamic data | BB… | SHA-1(05 … BB… ‖ DDOL data) | BC
 *   Signed static application data (93, SDA, recovery only), format 03.
 */
import { createHash } from 'node:crypto';
import { rsaRecover, rsaSign, type RsaPrivateJwk, type RsaPublicKey } from './rsa.ts';

export class OdaError extends Error {
  override readonly name = 'OdaError';
}

const sha1 = (...parts: Buffer[]) => createHash('sha1').update(Buffer.concat(parts)).digest();

/** A CA public key as the terminal holds it, with the checksum its list carries (Book 2 §11.2.2). */
export interface CaPublicKey extends RsaPublicKey {
  readonly rid: string;
  readonly index: number;
  /** YYMMDD after which the key is no longer used. */
  readonly expiry: string;
}

export function caKeyChecksum(key: { rid: string; index: number; modulus: Buffer; exponent: Buffer }): Buffer {
  return sha1(Buffer.from(key.rid, 'hex'), Buffer.from([key.index]), key.modulus, key.exponent);
}

export interface CertificateFields {
  /** Issuer id (8 hex digits, F-padded) or PAN (20 hex digits, F-padded). */
  readonly identifier: Buffer;
  /** MMYY, BCD. */
  readonly expiry: Buffer;
  readonly serial: Buffer;
  readonly publicKey: RsaPublicKey;
}

export function panIdentifier(pan: string, bytes: number): Buffer {
  return Buffer.from(pan.padEnd(bytes * 2, 'F').slice(0, bytes * 2), 'hex');
}

function certificateBody(format: 0x02 | 0x04, fields: CertificateFields, signerLength: number): { body: Buffer; remainder: Buffer } {
  const overhead = format === 0x02 ? 36 : 42;
  const room = signerLength - overhead;
  const modulus = fields.publicKey.modulus;
  const leftmost = modulus.subarray(0, Math.min(room, modulus.length));
  const padded = Buffer.concat([leftmost, Buffer.alloc(room - leftmost.length, 0xbb)]);
  const header = Buffer.concat([
    Buffer.from([format]),
    fields.identifier,
    fields.expiry,
    fields.serial,
    Buffer.from([0x01, 0x01, modulus.length, fields.publicKey.exponent.length]),
  ]);
  return { body: Buffer.concat([header, padded]), remainder: modulus.subarray(leftmost.length) };
}

function sign(signer: RsaPrivateJwk, signerLength: number, bodyAndHash: Buffer): Buffer {
  const message = Buffer.concat([Buffer.from([0x6a]), bodyAndHash, Buffer.from([0xbc])]);
  if (message.length !== signerLength) throw new OdaError(`message is ${message.length} bytes, the signing key ${signerLength}`);
  return rsaSign(signer, message);
}

export interface IssuedCertificate {
  readonly certificate: Buffer;
  readonly remainder: Buffer;
}

export function issueIssuerCertificate(ca: RsaPrivateJwk, caLength: number, fields: CertificateFields): IssuedCertificate {
  const { body, remainder } = certificateBody(0x02, fields, caLength);
  const hash = sha1(body, remainder, fields.publicKey.exponent);
  return { certificate: sign(ca, caLength, Buffer.concat([body, hash])), remainder };
}

export function issueIccCertificate(issuer: RsaPrivateJwk, issuerLength: number, fields: CertificateFields, staticData: Buffer): IssuedCertificate {
  const { body, remainder } = certificateBody(0x04, fields, issuerLength);
  const hash = sha1(body, remainder, fields.publicKey.exponent, staticData);
  return { certificate: sign(issuer, issuerLength, Buffer.concat([body, hash])), remainder };
}

export interface RecoveredCertificate {
  readonly identifier: Buffer;
  readonly expiry: Buffer;
  readonly serial: Buffer;
  readonly publicKey: RsaPublicKey;
  /** The hash the certificate carries (SHA-1, 20 bytes). */
  readonly hash: Buffer;
  /** Whether the certificate's hash matches: false means the data or the remainder were tampered with. */
  readonly hashValid: boolean;
}

function recoverCertificate(
  format: 0x02 | 0x04,
  signer: RsaPublicKey,
  certificate: Buffer,
  remainder: Buffer,
  exponent: Buffer,
  extra: Buffer,
): RecoveredCertificate {
  const length = signer.modulus.length;
  let recovered: Buffer;
  try {
    recovered = rsaRecover(signer, certificate);
  } catch (error) {
    throw new OdaError(`certificate does not recover: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (recovered[0] !== 0x6a || recovered[length - 1] !== 0xbc || recovered[1] !== format) throw new OdaError(`recovered data is not a format ${format.toString(16).padStart(2, '0')} certificate`);
  const idLength = format === 0x02 ? 4 : 10;
  let offset = 2;
  const take = (count: number) => recovered.subarray(offset, (offset += count));
  const identifier = take(idLength);
  const expiry = take(2);
  const serial = take(3);
  const [hashAlgorithm, keyAlgorithm, keyLength, exponentLength] = take(4);
  if (hashAlgorithm !== 0x01 || keyAlgorithm !== 0x01) throw new OdaError('unknown hash or public key algorithm');
  if (exponentLength !== exponent.length) throw new OdaError('exponent length differs from the certificate');
  const room = length - (format === 0x02 ? 36 : 42);
  const leftmost = take(room);
  const hash = recovered.subarray(length - 21, length - 1);
  const body = recovered.subarray(1, length - 21);
  const modulus = keyLength! <= room ? leftmost.subarray(0, keyLength) : Buffer.concat([leftmost, remainder]);
  if (modulus.length !== keyLength) throw new OdaError(`key is ${keyLength} bytes; leftmost digits and remainder give ${modulus.length}`);
  const usedRemainder = keyLength! <= room ? Buffer.alloc(0) : remainder;
  const hashValid = sha1(body, usedRemainder, exponent, extra).equals(hash);
  return { identifier: Buffer.from(identifier), expiry: Buffer.from(expiry), serial: Buffer.from(serial), publicKey: { modulus, exponent }, hash: Buffer.from(hash), hashValid };
}

export function recoverIssuerCertificate(ca: RsaPublicKey, certificate: Buffer, remainder: Buffer, exponent: Buffer): RecoveredCertificate {
  return recoverCertificate(0x02, ca, certificate, remainder, exponent, Buffer.alloc(0));
}

export function recoverIccCertificate(issuer: RsaPublicKey, certificate: Buffer, remainder: Buffer, exponent: Buffer, staticData: Buffer): RecoveredCertificate {
  return recoverCertificate(0x04, issuer, certificate, remainder, exponent, staticData);
}

/** The card's DDA signature over its dynamic data and the terminal's DDOL data. */
export function signDynamicData(icc: RsaPrivateJwk, iccLength: number, iccDynamicData: Buffer, ddolData: Buffer): Buffer {
  const padding = Buffer.alloc(iccLength - iccDynamicData.length - 25, 0xbb);
  const body = Buffer.concat([Buffer.from([0x05, 0x01, iccDynamicData.length]), iccDynamicData, padding]);
  return sign(icc, iccLength, Buffer.concat([body, sha1(body, ddolData)]));
}

/** The ICC dynamic data of a valid DDA signature, or an OdaError saying why it is not valid. */
export function verifyDynamicData(icc: RsaPublicKey, signature: Buffer, ddolData: Buffer): Buffer {
  const length = icc.modulus.length;
  let recovered: Buffer;
  try {
    recovered = rsaRecover(icc, signature);
  } catch (error) {
    throw new OdaError(`dynamic signature does not recover: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (recovered[0] !== 0x6a || recovered[1] !== 0x05 || recovered[length - 1] !== 0xbc) throw new OdaError('recovered data is not signed dynamic application data');
  const body = recovered.subarray(1, length - 21);
  if (!sha1(body, ddolData).equals(recovered.subarray(length - 21, length - 1))) throw new OdaError('dynamic signature hash does not match');
  const dataLength = recovered[3]!;
  return Buffer.from(recovered.subarray(4, 4 + dataLength));
}

/** Signed static application data (SDA, format 03), recovered: the data authentication code and hash. */
export function recoverStaticSignature(issuer: RsaPublicKey, signature: Buffer): { dataAuthenticationCode: Buffer; hash: Buffer } {
  const recovered = rsaRecover(issuer, signature);
  const length = recovered.length;
  if (recovered[0] !== 0x6a || recovered[1] !== 0x03 || recovered[length - 1] !== 0xbc) throw new OdaError('recovered data is not signed static application data');
  return { dataAuthenticationCode: Buffer.from(recovered.subarray(3, 5)), hash: Buffer.from(recovered.subarray(length - 21, length - 1)) };
}
