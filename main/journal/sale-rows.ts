/** Sales, their lines and their tenders as SQLite rows, and back. */
import type { CardScheme } from '../../common/card/scheme.ts';
import type { VatRateBp } from '../../common/catalog.ts';
import { money, type CurrencyCode } from '../../common/money.ts';
import type { Discount, EntryMode, Sale, SaleLine, SaleStatus, SaleSummary, Tender, TenderState, TenderType } from '../../common/sale/model.ts';
import { TenderQrSchema } from '../../common/sale/model.ts';

export interface SaleSqlRow {
  id: string;
  station_id: string;
  receipt_number: string;
  status: SaleStatus;
  currency: CurrencyCode;
  opened_at: string;
  updated_at: string;
  paid_at: string | null;
  cashier_id: string | null;
  shift_id: number | null;
  sale_discount: string | null;
  subtotal_minor: number;
  discount_minor: number;
  total_minor: number;
  vat_minor: number;
  paid_minor: number;
  refunded_minor: number;
  legacy: number;
}

export interface LineSqlRow {
  line_no: number;
  sku: string;
  name_zh: string;
  name_en: string;
  quantity: number;
  unit_price_minor: number;
  catalog_unit_price_minor: number | null;
  line_discount: string | null;
  vat_rate_bp: VatRateBp;
  gross_minor: number;
  line_discount_minor: number;
  sale_discount_minor: number;
  amount_minor: number;
  vat_minor: number;
}

export interface TenderSqlRow {
  id: number;
  sale_id: string;
  type: TenderType;
  entry_mode: EntryMode | null;
  state: TenderState;
  amount_minor: number;
  received_minor: number | null;
  change_minor: number | null;
  refunded_minor: number;
  masked_pan: string | null;
  scheme: CardScheme | null;
  approval_code: string | null;
  rrn: string | null;
  stan: string | null;
  response_code: string | null;
  qr: string | null;
}

export function saleParams(sale: Sale): (string | number | null)[] {
  return [
    sale.id, sale.stationId, sale.receiptNumber, sale.status, sale.currency, sale.openedAt, sale.updatedAt, sale.paidAt ?? null, sale.cashierId ?? null, sale.shiftId ?? null,
    sale.saleDiscount ? JSON.stringify(sale.saleDiscount) : null, sale.totals.subtotal.amountMinor, sale.totals.discount.amountMinor, sale.totals.total.amountMinor,
    sale.totals.vat.amountMinor, sale.paid.amountMinor, sale.refunded.amountMinor, sale.legacy ? 1 : 0,
  ];
}

export function lineParams(saleId: string, line: SaleLine): (string | number | null)[] {
  return [
    saleId, line.lineNo, line.sku, line.name['zh-CN'], line.name.en, line.quantity, line.unitPrice.amountMinor, line.catalogUnitPrice?.amountMinor ?? null,
    line.lineDiscount ? JSON.stringify(line.lineDiscount) : null, line.vatRateBp, line.gross.amountMinor, line.lineDiscountAmount.amountMinor,
    line.saleDiscountShare.amountMinor, line.amount.amountMinor, line.vat.amountMinor,
  ];
}

export function tenderParams(saleId: string, tender: Tender, at: string): (string | number | null)[] {
  const card = tender.card;
  return [
    tender.id, saleId, tender.type, tender.entryMode ?? null, tender.state, tender.amount.amountMinor, tender.received?.amountMinor ?? null, tender.change?.amountMinor ?? null,
    tender.refunded.amountMinor, card?.maskedPan ?? null, card?.scheme ?? null, card?.approvalCode ?? null, card?.rrn ?? null, card?.stan ?? null, card?.responseCode ?? null, at, at,
    tender.qr ? JSON.stringify(tender.qr) : null,
  ];
}

export function toLine(row: LineSqlRow, currency: CurrencyCode): SaleLine {
  const cny = (amountMinor: number) => money(amountMinor, currency);
  return {
    lineNo: row.line_no,
    sku: row.sku,
    name: { 'zh-CN': row.name_zh, en: row.name_en },
    quantity: row.quantity,
    unitPrice: cny(row.unit_price_minor),
    ...(row.catalog_unit_price_minor === null ? {} : { catalogUnitPrice: cny(row.catalog_unit_price_minor) }),
    ...(row.line_discount === null ? {} : { lineDiscount: JSON.parse(row.line_discount) as Discount }),
    vatRateBp: row.vat_rate_bp,
    gross: cny(row.gross_minor),
    lineDiscountAmount: cny(row.line_discount_minor),
    saleDiscountShare: cny(row.sale_discount_minor),
    amount: cny(row.amount_minor),
    vat: cny(row.vat_minor),
  };
}

export function toTender(row: TenderSqlRow, currency: CurrencyCode): Omit<Tender, 'legs'> {
  const cny = (amountMinor: number) => money(amountMinor, currency);
  return {
    id: row.id,
    type: row.type,
    ...(row.entry_mode === null ? {} : { entryMode: row.entry_mode }),
    state: row.state,
    amount: cny(row.amount_minor),
    ...(row.received_minor === null ? {} : { received: cny(row.received_minor) }),
    ...(row.change_minor === null ? {} : { change: cny(row.change_minor) }),
    refunded: cny(row.refunded_minor),
    ...(row.masked_pan === null || row.scheme === null
      ? {}
      : {
          card: {
            maskedPan: row.masked_pan,
            scheme: row.scheme,
            ...(row.approval_code === null ? {} : { approvalCode: row.approval_code }),
            ...(row.rrn === null ? {} : { rrn: row.rrn }),
            ...(row.stan === null ? {} : { stan: row.stan }),
            ...(row.response_code === null ? {} : { responseCode: row.response_code }),
          },
        }),
    ...(row.qr === null || row.qr === undefined ? {} : { qr: TenderQrSchema.parse(JSON.parse(row.qr)) }),
  };
}

/** The header fields of a sale; lines, VAT by rate and tenders are the caller's. */
export function toSaleHeader(row: SaleSqlRow): Omit<Sale, 'lines' | 'tenders' | 'totals'> & { totals: Omit<Sale['totals'], 'vatByRate'> } {
  const cny = (amountMinor: number) => money(amountMinor, row.currency);
  return {
    id: row.id,
    stationId: row.station_id,
    receiptNumber: row.receipt_number,
    status: row.status,
    currency: row.currency,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    ...(row.paid_at === null ? {} : { paidAt: row.paid_at }),
    ...(row.cashier_id === null ? {} : { cashierId: row.cashier_id }),
    ...(row.shift_id === null ? {} : { shiftId: row.shift_id }),
    ...(row.sale_discount === null ? {} : { saleDiscount: JSON.parse(row.sale_discount) as Discount }),
    totals: { subtotal: cny(row.subtotal_minor), discount: cny(row.discount_minor), total: cny(row.total_minor), vat: cny(row.vat_minor) },
    paid: cny(row.paid_minor),
    due: cny(Math.max(0, row.total_minor - row.paid_minor)),
    refunded: cny(row.refunded_minor),
    legacy: row.legacy === 1,
  };
}

export function toSummary(row: SaleSqlRow, tenders: readonly Omit<Tender, 'legs'>[]): SaleSummary {
  const header = toSaleHeader(row);
  return {
    id: header.id,
    receiptNumber: header.receiptNumber,
    status: header.status,
    openedAt: header.openedAt,
    ...(header.paidAt === undefined ? {} : { paidAt: header.paidAt }),
    ...(header.cashierId === undefined ? {} : { cashierId: header.cashierId }),
    legacy: header.legacy,
    paid: header.paid,
    refunded: header.refunded,
    total: header.totals.total,
    tenders: tenders.map((tender) => ({ id: tender.id, type: tender.type, state: tender.state, amount: tender.amount, ...(tender.card ? { card: tender.card } : {}) })),
  };
}
