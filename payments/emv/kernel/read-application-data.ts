/**
 * Initiate application processing and read application data (EMV Book 3 §10.1–10.2): GET
 * PROCESSING OPTIONS with the PDOL data, then every record the AFL names, keeping the records marked
 * for offline data authentication as the static data to be authenticated.
 */
import { findTlv, parseDol, parseTlv, type Tlv } from '../tlv.ts';
import { SW, swText } from '../card/apdu.ts';
import { ApplicationNotAcceptedError, CardProtocolError, TVR, type TransactionData } from './transaction-data.ts';

const MANDATORY_TAGS = ['5A', '5F24', '8C', '8D'] as const;

/** GPO; returns the response template (format 1 turned into 82 + 94). */
export async function getProcessingOptions(tx: TransactionData, fci: readonly Tlv[]): Promise<void> {
  const pdol = findTlv(fci, '9F38');
  const pdolData = pdol ? tx.dolData(parseDol(pdol.value)) : Buffer.alloc(0);
  const { data, sw } = await tx.exchange({ cla: 0x80, ins: 0xa8, p1: 0x00, p2: 0x00, data: Buffer.concat([Buffer.from([0x83, pdolData.length]), pdolData]), le: 0 });
  // Book 3 §10.1: 6985 takes the application off the candidate list; the station's cards have one
  // application each in the field, so none is left: not accepted (not a chip failure, no fallback).
  if (sw === SW.conditionsOfUseNotSatisfied) throw new ApplicationNotAcceptedError('GET PROCESSING OPTIONS: conditions of use not satisfied');
  if (sw !== SW.ok) throw new CardProtocolError(`GET PROCESSING OPTIONS: card answered ${swText(sw)}`);
  const [template] = parseTlv(data);
  if (template?.tag === '80') {
    if (template.value.length < 2 || (template.value.length - 2) % 4 !== 0) throw new CardProtocolError('GPO format 1 is not AIP + AFL');
    tx.setFromCard('82', template.value.subarray(0, 2));
    tx.setFromCard('94', template.value.subarray(2));
  } else if (template?.tag === '77') {
    for (const entry of template.children ?? []) tx.setFromCard(entry.tag, entry.value);
    if (!tx.get('82') || !tx.get('94')) throw new CardProtocolError('GPO format 2 lacks the AIP or the AFL');
  } else {
    throw new CardProtocolError('GPO answered neither format 1 nor format 2');
  }
}

/** Reads the AFL's records; returns the static data to be authenticated (records only; the AIP is added by ODA). */
export async function readRecords(tx: TransactionData): Promise<Buffer> {
  const afl = tx.get('94')!;
  const signed: Buffer[] = [];
  for (let offset = 0; offset + 4 <= afl.length; offset += 4) {
    const sfi = afl[offset]! >> 3;
    const first = afl[offset + 1]!;
    const last = afl[offset + 2]!;
    const odaCount = afl[offset + 3]!;
    if (sfi < 1 || sfi > 30 || first === 0 || last < first || odaCount > last - first + 1) throw new CardProtocolError('AFL entry is malformed');
    for (let record = first; record <= last; record++) {
      const data = await tx.expectOk({ cla: 0x00, ins: 0xb2, p1: record, p2: (sfi << 3) | 0x04, data: Buffer.alloc(0), le: 0 }, `READ RECORD ${sfi}/${record}`);
      const [template, ...rest] = parseTlv(data);
      if (template?.tag !== '70' || rest.length > 0) throw new CardProtocolError(`record ${sfi}/${record} is not a 70 template`);
      for (const entry of template.children ?? []) {
        if (!tx.setFromCard(entry.tag, entry.value)) throw new CardProtocolError(`record ${sfi}/${record} repeats tag ${entry.tag}`);
      }
      if (record - first < odaCount) signed.push(sfi <= 10 ? template.value : data);
    }
  }
  return Buffer.concat(signed);
}

/** Book 3 §10.2: missing mandatory data terminates the transaction. */
export function checkMandatoryData(tx: TransactionData, contactless: boolean): void {
  const missing = (contactless ? ['5A', '5F24'] : MANDATORY_TAGS).filter((tag) => !tx.get(tag));
  if (missing.length > 0) {
    tx.set(TVR.iccDataMissing);
    throw new CardProtocolError(`card data missing: ${missing.join(', ')}`);
  }
}
