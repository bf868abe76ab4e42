/**
 * Builds the ESC/POS bytes of a sale receipt from plain data. The printer profile decides the
 * line width (58 mm: 32 columns, 80 mm: 48 at font A) and whether Chinese can be printed.
 *
 * Printers without a CJK font get an English receipt: labels and names from the `en` texts, accents
 * dropped. Transliterating Chinese names (pinyin) would need a dictionary and read worse than the
 * English names the catalog already has.
 */
import { isPanShaped, maskPan } from '../../common/card/pan.ts';
import type { CardScheme } from '../../common/card/scheme.ts';
import { formatMinorPlain, type Money } from '../../common/money.ts';
import { encodeOneBitPng } from './one-bit-png.ts';
import type { CjkSupport } from './printer-text.ts';
import { RECEIPT_LABELS, type ReceiptLabels, type ReceiptLocale } from './receipt-labels.ts';
import { ReceiptWriter } from './receipt-writer.ts';
import { stationLogo } from './station-logo.ts';

export type { ReceiptLocale } from './receipt-labels.ts';

/** A text in each receipt locale; the same shape as the catalog's LocalizedText. */
export interface LocalizedText {
  readonly 'zh-CN': string;
  readonly en: string;
}

export interface SaleReceiptLine {
  readonly name: LocalizedText;
  readonly quantity: number;
  readonly unitPrice: Money;
  readonly total: Money;
}

export interface CardTender {
  readonly kind: 'card';
  /** Already masked (maskPan); a full PAN given by mistake is masked here, never printed. */
  readonly maskedPan: string;
  readonly scheme: CardScheme;
  readonly approvalCode: string;
  readonly rrn: string;
  readonly stan: string;
  readonly responseCode: string;
}

export interface CashTender {
  readonly kind: 'cash';
  readonly received: Money;
  readonly change: Money;
}

export interface SaleReceipt {
  readonly locale: ReceiptLocale;
  readonly merchantName: LocalizedText;
  readonly merchantId: string;
  readonly terminalId: string;
  readonly lines: readonly SaleReceiptLine[];
  readonly total: Money;
  readonly tender: CardTender | CashTender;
  readonly timestamp: Date;
  /** The transaction reference, printed as text, a QR code and (where it fits) a CODE128 barcode. Printable ASCII. */
  readonly reference: string;
}

export interface PrinterProfile {
  readonly widthMm: 58 | 80;
  readonly cjk: CjkSupport;
}

export interface BuildOptions {
  /** Kick the cash drawer (pin 2) as the receipt starts. Honoured for cash tenders only: a card sale has no cash to put away. */
  readonly openDrawer?: boolean;
  /** Print the station logo at the top. */
  readonly logo?: boolean;
  /** IANA zone the date and time are printed in; the station's own zone by default. */
  readonly timeZone?: string;
  /** Marks the receipt as printed again (after one that may be incomplete), so it never passes for a second sale. */
  readonly reprint?: boolean;
}

/** Font A columns and printable dots at 203 dpi, per paper width. */
export const PAPER = {
  58: { columns: 32, printableDots: 384 },
  80: { columns: 48, printableDots: 576 },
} as const;

/** GS w 2 is the narrowest module width every ESC/POS printer accepts. */
const BARCODE_MODULE_DOTS = 2;
const BARCODE_HEIGHT_DOTS = 60;

/** CODE128 code set B: start, check and stop symbols plus 11 modules a character, and 10-module quiet zones. */
function code128WidthDots(data: string): number {
  return (11 * data.length + 35 + 20) * BARCODE_MODULE_DOTS;
}

function amount(value: Money): string {
  return formatMinorPlain(value);
}

function withCurrency(value: Money): string {
  return `${value.currency} ${formatMinorPlain(value)}`;
}

/** PCI DSS 3.3: at most the first six and last four digits. Anything showing more is re-masked. */
function printablePan(maskedPan: string): string {
  if (isPanShaped(maskedPan)) return maskPan(maskedPan);
  const digits = maskedPan.replace(/\D/g, '');
  if (digits.length <= 10) return maskedPan;
  return '*'.repeat(maskedPan.length - 4) + maskedPan.slice(-4);
}

function formatTimestamp(timestamp: Date, timeZone: string | undefined): string {
  // sv-SE formats as ISO-like "2026-11-21 10:16:16" in any zone
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(timestamp);
}

function header(writer: ReceiptWriter, receipt: SaleReceipt, locale: ReceiptLocale, labels: ReceiptLabels, options: BuildOptions): void {
  writer.align('center');
  writer.bold(true);
  writer.size(2, 2);
  writer.text(receipt.merchantName[locale]);
  writer.size(1, 1);
  writer.text(labels.title);
  if (options.reprint === true) writer.text(labels.reprint);
  writer.bold(false);
  writer.align('left');
  writer.pair(labels.merchantId, receipt.merchantId);
  writer.pair(labels.terminalId, receipt.terminalId);
  writer.pair(labels.dateTime, formatTimestamp(receipt.timestamp, options.timeZone));
  writer.rule();
}

function saleLines(writer: ReceiptWriter, receipt: SaleReceipt, locale: ReceiptLocale): void {
  for (const line of receipt.lines) {
    writer.text(line.name[locale]);
    writer.pair(`  ${line.quantity} x ${amount(line.unitPrice)}`, amount(line.total));
  }
  writer.rule();
  writer.bold(true);
  writer.size(1, 2);
  writer.pair(RECEIPT_LABELS[locale].total, withCurrency(receipt.total));
  writer.size(1, 1);
  writer.bold(false);
  writer.rule();
}

function tender(writer: ReceiptWriter, receipt: SaleReceipt, labels: ReceiptLabels): void {
  const paid = receipt.tender;
  if (paid.kind === 'cash') {
    writer.pair(labels.cashReceived, withCurrency(paid.received));
    writer.pair(labels.change, withCurrency(paid.change));
  } else {
    writer.pair(labels.cardNumber, printablePan(paid.maskedPan));
    writer.pair(labels.cardScheme, labels.schemes[paid.scheme]);
    writer.pair(labels.transactionType, labels.sale);
    writer.bold(true);
    writer.pair(labels.approvalCode, paid.approvalCode);
    writer.bold(false);
    writer.pair(labels.rrn, paid.rrn);
    writer.pair(labels.stan, paid.stan);
    writer.pair(labels.responseCode, paid.responseCode);
  }
  writer.pair(labels.reference, receipt.reference);
  writer.rule();
}

function footer(writer: ReceiptWriter, receipt: SaleReceipt, profile: PrinterProfile, labels: ReceiptLabels): void {
  writer.align('center');
  writer.qr(receipt.reference, profile.widthMm === 58 ? 4 : 6);
  // A barcode wider than the paper would print clipped and unreadable; the QR code carries the same reference
  if (code128WidthDots(receipt.reference) <= PAPER[profile.widthMm].printableDots) {
    writer.code128(receipt.reference, BARCODE_MODULE_DOTS, BARCODE_HEIGHT_DOTS);
  }
  writer.text(labels.thanks);
  writer.align('left');
  writer.partialCut();
}

export async function buildSaleReceipt(receipt: SaleReceipt, profile: PrinterProfile, options: BuildOptions = {}): Promise<Uint8Array> {
  if (!/^[\u0020-\u007e]{1,64}$/.test(receipt.reference)) throw new RangeError('receipt reference must be 1–64 printable ASCII characters');
  // A printer without a CJK font gets the English receipt
  const locale: ReceiptLocale = profile.cjk === 'none' ? 'en' : receipt.locale;
  const labels = RECEIPT_LABELS[locale];
  const writer = new ReceiptWriter(PAPER[profile.widthMm].columns, profile.cjk);

  writer.initialize();
  if (options.openDrawer === true && receipt.tender.kind === 'cash') writer.kickDrawer();
  if (options.logo === true) {
    writer.align('center');
    await writer.image(encodeOneBitPng(stationLogo()));
    writer.align('left');
  }
  header(writer, receipt, locale, labels, options);
  saleLines(writer, receipt, locale);
  tender(writer, receipt, labels);
  footer(writer, receipt, profile, labels);
  return writer.bytes();
}
