/**
 * Offline data authentication, DDA (EMV Book 2 §6, Book 3 §10.3): the CA key by RID and index, the
 * issuer and ICC certificates recovered and checked (hash, format, expiry, issuer identifier and PAN
 * against the card), then INTERNAL AUTHENTICATE with the DDOL data and the signed dynamic data
 * checked. Any failure sets "DDA failed" in the TVR and the transaction goes on: terminal action
 * analysis decides what it means. A card that offers neither DDA nor CDA leaves "ODA not performed".
 * CDA is not performed by this kernel (no station card asks for it; see docs/chip-and-contactless.md).
 */
import { OdaError, recoverIccCertificate, recoverIssuerCertificate, verifyDynamicData } from '../crypto/oda-certificates.ts';
import { findTlv, parseDol, parseTlv } from '../tlv.ts';
import type { CaPublicKeys } from './ca-public-keys.ts';
import { fullDate } from './emv-dates.ts';
import { TSI, TVR, type TransactionData } from './transaction-data.ts';

const DEFAULT_DDOL = Buffer.from([0x9f, 0x37, 0x04]);

/** MMYY certificate expiry against the transaction date YYMMDD: valid through the month's end (century as Book 3 says). */
function expired(mmyy: Buffer, today: string): boolean {
  const text = mmyy.toString('hex');
  return fullDate(`${text.slice(2)}${text.slice(0, 2)}31`) < fullDate(today);
}

function panPrefixMatches(identifier: Buffer, pan: string): boolean {
  const digits = identifier.toString('hex').toUpperCase().replace(/F+$/, '');
  return digits.length >= 3 && pan.startsWith(digits);
}

export async function performOda(tx: TransactionData, staticRecords: Buffer, caKeys: CaPublicKeys): Promise<void> {
  const aip = tx.get('82')!;
  const terminalDda = (Number.parseInt(tx.config.capabilities.slice(4, 6), 16) & 0x40) !== 0;
  if ((aip[0]! & 0x20) === 0 || !terminalDda) {
    tx.set(TVR.odaNotPerformed);
    return;
  }
  tx.setTsi(TSI.odaPerformed);
  try {
    await dda(tx, staticRecords, caKeys);
  } catch (error) {
    if (!(error instanceof OdaError)) throw error;
    tx.set(TVR.ddaFailed);
  }
}

async function dda(tx: TransactionData, staticRecords: Buffer, caKeys: CaPublicKeys): Promise<void> {
  const need = (tag: string) => {
    const value = tx.get(tag);
    if (!value) throw new OdaError(`card lacks ${tag}`);
    return value;
  };
  const rid = need('84').subarray(0, 5).toString('hex').toUpperCase();
  const ca = caKeys.find(rid, need('8F')[0]!, tx.today);
  if (!ca) throw new OdaError(`no CA public key ${rid}/${need('8F')[0]!.toString(16)}`);
  const pan = need('5A').toString('hex').toUpperCase().replace(/F+$/, '');
  const issuer = recoverIssuerCertificate(ca, need('90'), tx.get('92') ?? Buffer.alloc(0), need('9F32'));
  if (!issuer.hashValid) throw new OdaError('issuer certificate hash mismatch');
  if (expired(issuer.expiry, tx.today)) throw new OdaError('issuer certificate expired');
  if (!panPrefixMatches(issuer.identifier, pan)) throw new OdaError('issuer identifier does not match the PAN');
  // The static data: the signed records, then the values of the tags in 9F4A (only 82 is allowed).
  const tagList = tx.get('9F4A');
  if (tagList && !tagList.equals(Buffer.from([0x82]))) throw new OdaError('static data tag list may only name the AIP');
  const staticData = Buffer.concat([staticRecords, tagList ? tx.get('82')! : Buffer.alloc(0)]);
  const icc = recoverIccCertificate(issuer.publicKey, need('9F46'), tx.get('9F48') ?? Buffer.alloc(0), need('9F47'), staticData);
  if (!icc.hashValid) throw new OdaError('ICC certificate hash mismatch');
  if (expired(icc.expiry, tx.today)) throw new OdaError('ICC certificate expired');
  if (icc.identifier.toString('hex').toUpperCase().replace(/F+$/, '') !== pan) throw new OdaError('ICC certificate is for another PAN');
  const ddolData = tx.dolData(parseDol(tx.get('9F49') ?? DEFAULT_DDOL));
  const answer = await tx.expectOk({ cla: 0x00, ins: 0x88, p1: 0x00, p2: 0x00, data: ddolData, le: 0 }, 'INTERNAL AUTHENTICATE');
  const [template] = parseTlv(answer);
  const signature = template?.tag === '80' ? template.value : findTlv(parseTlv(answer), '9F4B')?.value;
  if (!signature) throw new OdaError('INTERNAL AUTHENTICATE gave no signed dynamic data');
  tx.setFromCard('9F4B', signature);
  const dynamic = verifyDynamicData(icc.publicKey, signature, ddolData);
  tx.setFromCard('9F4C', dynamic.subarray(1, 1 + dynamic[0]!));
}
