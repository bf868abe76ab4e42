/** A card leg's row as the station's services read it, and its redacted summary for views and events. */
import type { CardScheme } from '../../common/card/scheme.ts';
import type { JournalKind, JournalStatus, ReversalReason } from '../../common/journal.ts';
import { money, type Money } from '../../common/money.ts';
import type { CardLeg } from '../../common/sale/model.ts';

export const SELECT_LEGS = `SELECT l.*, b.batch_number FROM card_legs l LEFT JOIN batches b ON b.id = l.batch_id`;

export interface CardLegRow {
  readonly id: number;
  readonly tenderId: number | undefined;
  readonly attempt: number;
  readonly createdAt: string;
  readonly kind: JournalKind;
  readonly mti: string;
  readonly amount: Money;
  readonly maskedPan: string;
  readonly scheme: CardScheme;
  readonly entryMode: string;
  readonly terminalId: string;
  /** Undefined for legs carried over from journal v1, which did not keep DE42. */
  readonly merchantId: string | undefined;
  readonly processingCode: string;
  readonly stan: string;
  readonly transmittedAt: string;
  readonly localTime: string;
  readonly localDate: string;
  readonly status: JournalStatus;
  readonly responseCode: string | undefined;
  readonly approvalCode: string | undefined;
  readonly rrn: string | undefined;
  readonly batchId: number | undefined;
  readonly batchNumber: string | undefined;
  readonly originalId: number | undefined;
  readonly originalRrn: string | undefined;
  readonly reversalReason: ReversalReason | undefined;
}

/** The redacted summary the sale views and the events carry. */
export function toCardLeg(row: CardLegRow): CardLeg {
  return {
    id: row.id,
    kind: row.kind,
    mti: row.mti,
    processingCode: row.processingCode,
    amount: row.amount,
    transmittedAt: row.transmittedAt,
    stan: row.stan,
    posEntryMode: row.entryMode,
    maskedPan: row.maskedPan,
    scheme: row.scheme,
    status: row.status,
    attempt: row.attempt,
    createdAt: row.createdAt,
    ...(row.responseCode === undefined ? {} : { responseCode: row.responseCode }),
    ...(row.approvalCode === undefined ? {} : { approvalCode: row.approvalCode }),
    ...(row.rrn === undefined ? {} : { rrn: row.rrn }),
    ...(row.batchNumber === undefined ? {} : { batchNumber: row.batchNumber }),
  };
}

export interface LegSqlRow {
  id: number;
  tender_id: number | null;
  attempt: number;
  created_at: string;
  kind: JournalKind;
  mti: string;
  amount_minor: number;
  currency: Money['currency'];
  masked_pan: string;
  scheme: CardScheme;
  entry_mode: string;
  terminal_id: string;
  merchant_id: string | null;
  processing_code: string;
  stan: string;
  transmitted_at: string;
  local_time: string;
  local_date: string;
  status: JournalStatus;
  response_code: string | null;
  approval_code: string | null;
  rrn: string | null;
  batch_id: number | null;
  batch_number: string | null;
  original_id: number | null;
  original_rrn: string | null;
  reversal_reason: ReversalReason | null;
}

export function toRow(row: LegSqlRow): CardLegRow {
  return {
    id: row.id,
    tenderId: row.tender_id ?? undefined,
    attempt: row.attempt,
    createdAt: row.created_at,
    kind: row.kind,
    mti: row.mti,
    amount: money(row.amount_minor, row.currency),
    maskedPan: row.masked_pan,
    scheme: row.scheme,
    entryMode: row.entry_mode,
    terminalId: row.terminal_id,
    merchantId: row.merchant_id ?? undefined,
    processingCode: row.processing_code,
    stan: row.stan,
    transmittedAt: row.transmitted_at,
    localTime: row.local_time,
    localDate: row.local_date,
    status: row.status,
    responseCode: row.response_code ?? undefined,
    approvalCode: row.approval_code ?? undefined,
    rrn: row.rrn ?? undefined,
    batchId: row.batch_id ?? undefined,
    batchNumber: row.batch_number ?? undefined,
    originalId: row.original_id ?? undefined,
    originalRrn: row.original_rrn ?? undefined,
    reversalReason: row.reversal_reason ?? undefined,
  };
}
