/**
 * The acquirer's answer to a 0500 settlement (batch close) of a terminal's batch.
 *
 * DE3 920000, first close: the host compares its totals for the terminal's open batch with the
 * terminal's. In balance (DE66 1), the batch closes: its holds become debits and its pending
 * refunds credits on the accounts. Out of balance (DE66 2), nothing changes; the host remembers the
 * batch number (DE60) and forgets any earlier upload of that batch, and the terminal uploads it
 * (0320s, batch-upload.ts) and closes again with 960000.
 * A repeat of a close the host already accepted (same batch number and totals as the terminal's
 * last closed batch, the first 0510 lost on the way) is answered 1 again and changes nothing.
 *
 * DE3 960000, close after batch upload: the host adopts the upload as the record of the batch
 * (adopt-uploads.ts), closes it and answers 1. Uploads it could not adopt (an RRN it does not hold,
 * or one outside the batch) are listed in the 0510's DE62 (payments/iso8583/uploads-not-adopted.ts).
 *
 * Both answer DE39 00 once the request is well formed: format (30) → processing code (12)
 * → currency unknown (12).
 */
import { currencyByNumeric } from '../../common/money.ts';
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { adoptUploads } from '../ledger/adopt-uploads.ts';
import { EMPTY_TOTALS } from '../ledger/batches.ts';
import type { Issuer } from './authorize-purchase.ts';
import { RESPONSE_CODE, type ResponseCode } from './response-codes.ts';
import { readTerminalTotals, totalsAgree, type TerminalTotals } from './settlement-totals.ts';
import { PROCESSING_CODES } from '../../payments/iso8583/profile.ts';

export const SETTLEMENT_MANDATORY_FIELDS = [3, 7, 11, 41, 42, 49, 60, 74, 76, 86, 88, 97] as const;
const BATCH_NUMBER = /^\d{6}$/;

/** DE66. */
export type SettlementCode = '1' | '2';

export interface SettlementDecision {
  readonly responseCode: ResponseCode;
  readonly settlementCode?: SettlementCode;
  /** A close after upload: the RRNs of the uploads the host did not adopt (DE62). */
  readonly notAdopted?: readonly string[];
  readonly note?: string;
}

export function settleBatch(message: IsoMessage, issuer: Issuer): SettlementDecision {
  if (SETTLEMENT_MANDATORY_FIELDS.some((field) => !message.fields.has(field))) return { responseCode: RESPONSE_CODE.formatError };
  const batchNumber = getText(message, 60)!;
  const terminal = readTerminalTotals(message);
  if (!BATCH_NUMBER.test(batchNumber) || terminal === undefined) return { responseCode: RESPONSE_CODE.formatError };
  const processingCode = getText(message, 3);
  if (processingCode !== PROCESSING_CODES.settlementClose && processingCode !== PROCESSING_CODES.settlementAfterUpload) return { responseCode: RESPONSE_CODE.invalidTransaction };
  if (currencyByNumeric(getText(message, 49)!) === undefined) return { responseCode: RESPONSE_CODE.invalidTransaction };

  const tid = getText(message, 41)!;
  return issuer.ledger.atomically(() =>
    processingCode === PROCESSING_CODES.settlementClose ? close(issuer, tid, batchNumber, terminal) : closeAfterUpload(issuer, tid, batchNumber, terminal),
  );
}

function close(issuer: Issuer, tid: string, batchNumber: string, terminal: TerminalTotals): SettlementDecision {
  const { batches } = issuer.ledger;
  const now = issuer.now();
  const open = batches.findOpen(tid);
  const hostTotals = open === undefined ? EMPTY_TOTALS : batches.totals(open.id);
  if (totalsAgree(hostTotals, terminal)) {
    // An empty batch closes too, so the host keeps a record of every batch number the terminal closed.
    batches.close(open?.id ?? batches.openBatchId(tid, now), batchNumber, hostTotals, now);
    return inBalance();
  }
  const last = batches.lastClosed(tid);
  if (last !== undefined && last.batchNumber === batchNumber && totalsAgree(last.totals, terminal)) {
    return inBalance('batch already closed with these totals');
  }
  if (open !== undefined) batches.setBatchNumber(open.id, batchNumber);
  batches.clearUploads(tid, batchNumber);
  return { responseCode: RESPONSE_CODE.approved, settlementCode: '2', note: 'out of balance: batch upload expected' };
}

function closeAfterUpload(issuer: Issuer, tid: string, batchNumber: string, terminal: TerminalTotals): SettlementDecision {
  const { ledger } = issuer;
  const now = issuer.now();
  const batchId = ledger.batches.openBatchId(tid, now);
  const summary = adoptUploads(ledger, batchId, ledger.batches.uploads(tid, batchNumber), now);
  const adopted = ledger.batches.totals(batchId);
  ledger.batches.close(batchId, batchNumber, adopted, now);
  ledger.batches.clearUploads(tid, batchNumber);
  const mismatch = totalsAgree(adopted, terminal) ? '' : '; the upload does not add up to the 0500 totals';
  const notAdopted = [...summary.notFound, ...summary.conflicts];
  return {
    ...inBalance(
      `adopted the upload: ${summary.reversed} reversed, ${summary.corrected} corrected, ${summary.notFound.length} not found, ${summary.conflicts.length} outside the batch${mismatch}`,
    ),
    ...(notAdopted.length > 0 ? { notAdopted } : {}),
  };
}

function inBalance(note?: string): SettlementDecision {
  return { responseCode: RESPONSE_CODE.approved, settlementCode: '1', ...(note === undefined ? {} : { note }) };
}
