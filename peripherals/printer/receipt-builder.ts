/**
 * Builds the ESC/POS bytes of a sale receipt from plain data: the lines (with their discounts), the
 * total, the VAT per rate, and every tender (cash with what was handed over and the change; card
 * with its references). The printer profile decides the line width (58 mm: 32 columns, 80 mm: 48 at
 * font A) and whether Chinese can be printed. The cash drawer is not the receipt's business: it is
 * pulsed on its own (receipt-writer.ts DRAWER_PULSE), only for cash.
 *
 * Printers without a CJK font get an English receipt: labels and names from the `en` texts, accents
 * dropped. Transliterating Chinese names (pinyin) would need a dictionary and read worse than the
 * English names the catalog already has.
 */
import { isPanShaped, maskPan } from '../../common/card/pan.ts';
import type { CardScheme } from '../../common/card/scheme.ts';
import { addMoney, formatMinorPlain, type Money } from '../../common/money.ts';
import { encodeOneBitPng } from './one-bit-png.ts';
import type { CjkSupport } from './printer-text.ts';
import { RECEIPT_LABELS, type ReceiptEntryMode, type ReceiptLabels, type ReceiptLocale } from './receipt-labels.ts';
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
  /** Its own discount and its share of a whole-sale discount together; zero when none. */
  readonly discount: Money;
  /** What the line costs after discounts, VAT included. */
  readonly amount: Money;
}

export interface ReceiptVat {
  /** Basis points: 1300 = 13 %. */
  readonly rateBp: number;
  /** The VAT-inclusive amount at that rate. */
  readonly amount: Money;
  readonly vat: Money;
}

export interface CardTender {
  readonly kind: 'card';
  readonly amount: Money;
  /** Already masked (maskPan); a full PAN given by mistake is masked here, never printed. */
  readonly maskedPan: string;
  readonly scheme: CardScheme;
  readonly approvalCode: string;
  readonly rrn: string;
  readonly stan: string;
  readonly responseCode: string;
  /** How the card was read (DE22); printed when known. */
  readonly entryMode?: ReceiptEntryMode;
  /** A chip or contactless card: what chip receipts print (EMV Book 4 §11.4 and the schemes' receipt rules). */
  readonly chip?: { readonly aid: string; readonly applicationLabel: string; readonly acType: 'TC' | 'AAC' | 'ARQC'; readonly cryptogram: string };
}

export interface CashTender {
  readonly kind: 'cash';
  /** What the cash paid of the sale. */
  readonly amount: Money;
  /** What the customer handed over, and the change given back. */
  readonly received: Money;
  readonly change: Money;
}

export interface QrTender {
  readonly kind: 'qr';
  readonly amount: Money;
  /** The wallet's name (DemoPay). */
  readonly wallet: string;
  /** As the wallet masked it ("138****0001"); the receipt prints nothing more of the payer. */
  readonly maskedPayer?: string;
  readonly transactionId?: string;
}

export interface SaleReceipt {
  readonly locale: ReceiptLocale;
  readonly merchantName: LocalizedText;
  readonly merchantId: string;
  readonly terminalId: string;
  /** The sale's human number. */
  readonly receiptNumber: string;
  readonly cashierId?: string;
  readonly lines: readonly SaleReceiptLine[];
  /** A sale carried over from a journal made before lines were kept: the receipt says so instead of lines. */
  readonly linesNotRecorded?: boolean;
  readonly subtotal: Money;
  readonly discount: Money;
  readonly total: Money;
  readonly vat: readonly ReceiptVat[];
  readonly tenders: readonly (CardTender | CashTender | QrTender)[];
  /** What has been given back since (a reprint of a refunded or voided sale says so). */
  readonly refunded?: Money;
  readonly voided?: boolean;
  readonly timestamp: Date;
  /** The transaction reference, printed as text, a QR code and (where it fits) a CODE128 barcode. Printable ASCII. */
  readonly reference: string;
}

export interface PrinterProfile {
  readonly widthMm: 58 | 80;
  readonly cjk: CjkSupport;
}

export interface BuildOptions {
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
  writer.pair(labels.receiptNumber, receipt.receiptNumber);
  if (receipt.cashierId !== undefined) writer.pair(labels.cashier, receipt.cashierId);
  writer.pair(labels.dateTime, formatTimestamp(receipt.timestamp, options.timeZone));
  writer.rule();
}

function saleLines(writer: ReceiptWriter, receipt: SaleReceipt, locale: ReceiptLocale, labels: ReceiptLabels): void {
  if (receipt.linesNotRecorded === true) writer.text(labels.linesNotRecorded);
  for (const line of receipt.lines) {
    writer.text(line.name[locale]);
    writer.pair(`  ${line.quantity} x ${amount(line.unitPrice)}`, amount(line.discount.amountMinor > 0 ? addMoney(line.amount, line.discount) : line.amount));
    if (line.discount.amountMinor > 0) writer.pair(`  ${labels.discount}`, `-${amount(line.discount)}`);
  }
  writer.rule();
  if (receipt.discount.amountMinor > 0) {
    writer.pair(labels.subtotal, amount(receipt.subtotal));
    writer.pair(labels.discount, `-${amount(receipt.discount)}`);
  }
  writer.bold(true);
  writer.size(1, 2);
  writer.pair(labels.total, withCurrency(receipt.total));
  writer.size(1, 1);
  writer.bold(false);
  // Prices include VAT: each rate's share of the total, and the VAT in it (docs/sales.md).
  for (const rate of receipt.vat) writer.pair(`${labels.vat} ${formatRate(rate.rateBp)} (${amount(rate.amount)})`, amount(rate.vat));
  writer.rule();
}

function formatRate(rateBp: number): string {
  return `${rateBp / 100}%`;
}

function tenders(writer: ReceiptWriter, receipt: SaleReceipt, labels: ReceiptLabels): void {
  for (const paid of receipt.tenders) {
    if (paid.kind === 'cash') {
      writer.pair(labels.cash, withCurrency(paid.amount));
      writer.pair(`  ${labels.cashReceived}`, withCurrency(paid.received));
      writer.pair(`  ${labels.change}`, withCurrency(paid.change));
    } else if (paid.kind === 'qr') {
      writer.pair(labels.qr, withCurrency(paid.amount));
      writer.pair(`  ${labels.wallet}`, paid.wallet);
      if (paid.maskedPayer !== undefined) writer.pair(`  ${labels.payer}`, paid.maskedPayer);
      if (paid.transactionId !== undefined) {
        // 28 digits do not fit beside the label on 58 mm paper: the id gets a line of its own.
        writer.text(`  ${labels.walletTransaction}`);
        writer.text(`  ${paid.transactionId}`);
      }
    } else {
      writer.pair(labels.card, withCurrency(paid.amount));
      writer.pair(`  ${labels.cardNumber}`, printablePan(paid.maskedPan));
      writer.pair(`  ${labels.cardScheme}`, labels.schemes[paid.scheme]);
      if (paid.entryMode) writer.pair(`  ${labels.entryMode}`, labels.entryModes[paid.entryMode]);
      if (paid.chip) {
        writer.pair(`  ${labels.aid}`, paid.chip.aid);
        writer.pair(`  ${labels.applicationLabel}`, paid.chip.applicationLabel);
        writer.pair(`  ${paid.chip.acType}`, paid.chip.cryptogram);
      }
      writer.pair(`  ${labels.transactionType}`, labels.sale);
      writer.bold(true);
      writer.pair(`  ${labels.approvalCode}`, paid.approvalCode);
      writer.bold(false);
      writer.pair(`  ${labels.rrn}`, paid.rrn);
      writer.pair(`  ${labels.stan}`, paid.stan);
      writer.pair(`  ${labels.responseCode}`, paid.responseCode);
    }
  }
  if (receipt.refunded !== undefined && receipt.refunded.amountMinor > 0) writer.pair(labels.refunded, withCurrency(receipt.refunded));
  if (receipt.voided === true) writer.text(labels.voided);
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
  if (options.logo === true) {
    writer.align('center');
    await writer.image(encodeOneBitPng(stationLogo()));
    writer.align('left');
  }
  header(writer, receipt, locale, labels, options);
  saleLines(writer, receipt, locale, labels);
  tenders(writer, receipt, labels);
  footer(writer, receipt, profile, labels);
  return writer.bytes();
}
