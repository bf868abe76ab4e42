/**
 * Settlement (0500/0510) and batch upload (0320/0330), per profile v2. The 0500 states the
 * terminal's totals for its batch; the host answers DE66 1 (in balance) or 2 (out of balance), and
 * after an upload of every approved transaction of the batch a 0500 with DE3 960000 closes it.
 */
import type { CountAmount } from '../../common/acquirer.ts';
import { CURRENCIES, type CurrencyCode } from '../../common/money.ts';
import { createMessage, getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { PROCESSING_CODES, SETTLEMENT_CODES } from '../../payments/iso8583/profile.ts';
import type { CardLegRow } from '../journal/card-leg-row.ts';
import { responseCodeOf } from './card-request.ts';
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
}

export function readSettlementAnswer(response: IsoMessage): SettlementAnswer {
  const responseCode = responseCodeOf(response, '0510');
  const code = getText(response, 66);
  return { responseCode, inBalance: code === SETTLEMENT_CODES.inBalance ? true : code === SETTLEMENT_CODES.outOfBalance ? false : undefined };
}

export interface BatchUploadRequest {
  /** An approved purchase or refund leg of the batch. */
  readonly row: CardLegRow;
  /** From the PAN vault; undefined if the vault no longer has it (the host will then refuse the upload). */
  readonly pan: string | undefined;
  readonly stan: string;
  readonly batchNumber: string;
  /** DE42 for rows carried over from journal v1. */
  readonly merchantId: string;
  readonly now: Date;
}

export function buildBatchUpload(request: BatchUploadRequest): IsoMessage {
  const { row } = request;
  const message = createMessage('0320', {
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
  if (request.pan !== undefined) message.fields.set(2, request.pan);
  return message;
}
