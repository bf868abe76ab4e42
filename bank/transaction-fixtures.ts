/**
 * Test support: the requests a station sends besides the purchase (purchase-fixture.ts), built from
 * deck cards and from the requests and answers they follow, field for field as the profile
 * (payments/iso8583/profile.ts) and docs/host-interface.md lay them out.
 */
import type { TestDeckCard } from '../common/test-deck.ts';
import { createMessage, getText, type IsoMessage } from '../payments/iso8583/message.ts';
import { purchaseFor, type PurchaseOptions } from './purchase-fixture.ts';

/** DE7 the fixtures' later messages carry, so they never share the purchase's (1121101530). */
const LATER_TRANSMISSION = '1121102000';
let lastStan = 900_000;

/** A STAN no purchaseFor() call uses (those count up from 1 with the PIN pad's KSN). */
export function nextStan(): string {
  return String(++lastStan).padStart(6, '0');
}

export function balanceInquiryFor(card: TestDeckCard, options: Omit<PurchaseOptions, 'amountMinor'> = {}): IsoMessage {
  const request = purchaseFor(card, { ...options, amountMinor: 0 });
  request.fields.set(3, '310000');
  return request;
}

export interface RefundOptions {
  readonly amountMinor: number;
  /** DE37: the RRN of the purchase being refunded. */
  readonly originalRrn: string;
  readonly stan?: string;
  readonly terminalId?: string;
  readonly merchantId?: string;
  readonly cardData?: PurchaseOptions['cardData'];
}

/** Card present like a purchase, without PIN (DE52/DE53). */
export function refundFor(card: TestDeckCard, options: RefundOptions): IsoMessage {
  const request = purchaseFor(card, {
    amountMinor: options.amountMinor,
    stan: options.stan ?? nextStan(),
    ...(options.terminalId === undefined ? {} : { terminalId: options.terminalId }),
    ...(options.cardData === undefined ? {} : { cardData: options.cardData }),
  });
  request.fields.delete(52);
  request.fields.delete(53);
  request.fields.set(3, '200000');
  request.fields.set(37, options.originalRrn);
  if (options.merchantId !== undefined) request.fields.set(42, options.merchantId);
  return request;
}

export interface ReversalOptions {
  /** DE39: "17" customer cancellation (void), "68" no response (timeout). */
  readonly reason?: '17' | '68';
  readonly mti?: '0400' | '0401';
  readonly amountMinor?: number;
}

/** The 0400 that reverses `original`: its STAN, a new DE7, and DE90 naming it; no card data (profile v4). */
export function reversalOf(original: IsoMessage, options: ReversalOptions = {}): IsoMessage {
  const text = (field: number) => getText(original, field)!;
  return createMessage(options.mti ?? '0400', {
    3: text(3),
    4: options.amountMinor === undefined ? text(4) : String(options.amountMinor).padStart(12, '0'),
    7: LATER_TRANSMISSION,
    11: text(11),
    12: text(12),
    13: text(13),
    22: text(22),
    25: text(25),
    39: options.reason ?? '17',
    41: text(41),
    42: text(42),
    49: text(49),
    90: `${original.mti}${text(11)}${text(7)}${'0'.repeat(22)}`,
  });
}

export interface Totals {
  readonly creditsCount: number;
  readonly creditsMinor: number;
  readonly debitsCount: number;
  readonly debitsMinor: number;
}

export interface SettlementOptions {
  readonly processingCode?: '920000' | '960000';
  readonly batchNumber?: string;
  readonly terminalId?: string;
  readonly stan?: string;
}

export function settlementFor(totals: Totals, options: SettlementOptions = {}): IsoMessage {
  const net = totals.debitsMinor - totals.creditsMinor;
  return createMessage('0500', {
    3: options.processingCode ?? '920000',
    7: LATER_TRANSMISSION,
    11: options.stan ?? nextStan(),
    41: options.terminalId ?? 'POS00001',
    42: '898310048160001',
    49: '156',
    60: options.batchNumber ?? '000001',
    74: String(totals.creditsCount).padStart(10, '0'),
    76: String(totals.debitsCount).padStart(10, '0'),
    86: String(totals.creditsMinor).padStart(16, '0'),
    88: String(totals.debitsMinor).padStart(16, '0'),
    97: `${net >= 0 ? 'D' : 'C'}${String(Math.abs(net)).padStart(16, '0')}`,
  });
}

/** The 0320 that uploads an approved transaction: its request, the host's approval and the batch number; no card data. */
export function batchUploadOf(request: IsoMessage, approval: IsoMessage, batchNumber = '000001'): IsoMessage {
  const text = (message: IsoMessage, field: number) => getText(message, field)!;
  return createMessage('0320', {
    3: text(request, 3),
    4: text(request, 4),
    7: LATER_TRANSMISSION,
    11: nextStan(),
    12: text(request, 12),
    13: text(request, 13),
    22: text(request, 22),
    37: text(approval, 37),
    38: text(approval, 38),
    39: '00',
    41: text(request, 41),
    42: text(request, 42),
    49: text(request, 49),
    60: `${request.mti}${text(request, 11)}${batchNumber}`,
  });
}

/** An 0800: DE70 "001" sign-on, "002" sign-off, "301" echo test. */
export function networkManagement(code: string, stan = nextStan()): IsoMessage {
  return createMessage('0800', { 7: LATER_TRANSMISSION, 11: stan, 41: 'POS00001', 70: code });
}
