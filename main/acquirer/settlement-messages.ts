/**
 * Settlement (0500/0510) and batch upload (0320/0330), per profile v4. The 0500 states the
 * terminal's totals for its batch; the host answers DE66 1 (in balance) or 2 (out of balance), and
 * after an upload of every approved transaction of the batch a 0500 with DE3 960000 closes it; its
 * 0510 lists in DE62 the uploads the host did not adopt. Uploads carry no card data.
 */
import type { CountAmount } from '../../common/acquirer.ts';
import { CURRENCIES, type CurrencyCode } from '../../common/money.ts';
import { createMessage, getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { PROCESSING_CODES, SETTLEMENT_CODES } from '../../payments/iso8583/profile.ts';
import { readUploadsNotAdopted, UPLOADS_NOT_ADOPTED_FIELD } from '../../payments/iso8583/uploads-not-adopted.ts';
import type { CardLegRow } from '../journal/card-leg-row.ts';
import { responseCodeOf, UnexpectedResponseError } from './card-request.ts';
import { transmissionDateTime } from './message-clock.ts';

type SettlementProcessingCode = typeof PROCESSING_CODES.settlementClose | typeof PROCESSING_CODES.settlementAfterUpload;

export interface SettlementTotals {
  /** Approved purchases. */
  readonly debits: CountAmount;
  /** Approved refunds. */
  readonly credits: CountAmount;
}

export interface SettlementRequest {
  readonly processingCode: SettlementProcessingCode;
  readonly stan: string;
  readonly terminalId: string;
  readonly merchantId: string;
  readonly currency: CurrencyCode;
  readonly batchNumber: string;
  readonly totals: SettlementTotals;
  readonly now: Date;
}

const digits = (value: number, length: number) => String(value).padStart(length, '0');

/** DE97: "D" + n16 when debits are at least the credits, else "C" + n16. */
export function netSettlementAmount(totals: SettlementTotals): string {
  const net = totals.debits.amount.amountMinor - totals.credits.amount.amountMinor;
  return `${net >= 0 ? 'D' : 'C'}${digits(Math.abs(net), 16)}`;
}

export function buildSettlementRequest(request: SettlementRequest): IsoMessage {
  const { totals } = request;
  return createMessage('0500', {
    3: request.processingCode,
    7: transmissionDateTime(request.now),
    11: request.stan,
    41: request.terminalId,
    42: request.merchantId,
    49: CURRENCIES[request.currency].numeric,
    60: request.batchNumber,
    74: digits(totals.credits.count, 10),
    76: digits(totals.debits.count, 10),
    86: digits(totals.credits.amount.amountMinor, 16),
    88: digits(totals.debits.amount.amountMinor, 16),
    97: netSettlementAmount(totals),
  });
}

export interface SettlementAnswer {
  readonly responseCode: string;
  /** DE66: true for 1 (in balance), false for 2 (out of balance), undefined when absent or unknown. */
  readonly inBalance: boolean | undefined;
  /** DE62 of a close after upload: the uploads the host did not adopt (it holds no such RRN, or not in this batch). */
  readonly notAdopted?: { readonly count: number; readonly rrns: readonly string[] };
}

export function readSettlementAnswer(response: IsoMessage): SettlementAnswer {
  const responseCode = responseCodeOf(response, '0510');
  const code = getText(response, 66);
  const report = getText(response, UPLOADS_NOT_ADOPTED_FIELD);
  const notAdopted = report === undefined ? undefined : readUploadsNotAdopted(report);
  if (report !== undefined && notAdopted === undefined) throw new UnexpectedResponseError('the 0510 has a DE62 that does not list uploads');
  return { responseCode, inBalance: code === SETTLEMENT_CODES.inBalance ? true : code === SETTLEMENT_CODES.outOfBalance ? false : undefined, ...(notAdopted ? { notAdopted } : {}) };
}

export interface BatchUploadRequest {
  /** An approved purchase or refund leg of the batch. */
  readonly row: CardLegRow;
  readonly stan: string;
  readonly batchNumber: string;
  /** DE42 for rows carried over from journal v1. */
  readonly merchantId: string;
  readonly now: Date;
}

/** No card data (profile v4): the host matches the upload to its transaction by DE37. */
export function buildBatchUpload(request: BatchUploadRequest): IsoMessage {
  const { row } = request;
  return createMessage('0320', {
    3: row.processingCode,
    4: digits(row.amount.amountMinor, 12),
    7: transmissionDateTime(request.now),
    11: request.stan,
    // DE12/DE13 as the original carried them.
    12: row.localTime,
    13: row.localDate,
    22: row.entryMode,
    37: row.rrn ?? '',
    38: row.approvalCode ?? '',
    39: row.responseCode ?? '00',
    41: row.terminalId,
    42: row.merchantId ?? request.merchantId,
    49: CURRENCIES[row.amount.currency].numeric,
    // Original MTI, original STAN, batch number.
    60: `0200${row.stan}${request.batchNumber}`,
  });
}
