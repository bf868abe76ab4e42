/**
 * Prices a sale's lines: each line's own discount, its share of the whole-sale discount, and its
 * VAT; then the sale's totals and its VAT per rate. Every figure is an integer number of fen.
 *
 *  1. gross = unit price × quantity
 *  2. line discount: an amount (at most the gross) or a percent of the gross, rounded half up
 *  3. whole-sale discount: an amount or a percent of the lines' amounts after step 2 (rounded half
 *     up), split across the lines in proportion to those amounts by largest remainder
 *  4. line amount = gross − line discount − share; line VAT = round_half_up(amount × bp / (10000 + bp))
 *  5. totals: subtotal = Σ gross, discount = Σ both discounts, total = Σ amounts, VAT = Σ line VAT,
 *     VAT per rate = Σ over the lines at that rate
 *
 * docs/sales.md works an example through.
 */
import type { LocalizedText, VatRateBp } from '../../common/catalog.ts';
import { money, type CurrencyCode, type Money } from '../../common/money.ts';
import { allocateLargestRemainder } from '../../common/sale/allocate.ts';
import type { Discount, SaleLine, SaleTotals, VatByRate } from '../../common/sale/model.ts';
import { percentOf } from '../../common/sale/rounding.ts';
import { vatOfInclusive } from '../../common/sale/vat.ts';
import { amountText, rejected } from './sale-error.ts';

/** What a line is before it is priced. */
export interface LineInput {
  readonly lineNo: number;
  readonly sku: string;
  readonly name: LocalizedText;
  readonly quantity: number;
  readonly unitPrice: Money;
  readonly catalogUnitPrice?: Money;
  readonly lineDiscount?: Discount;
  readonly vatRateBp: VatRateBp;
}

export function discountAmount(discount: Discount | undefined, baseMinor: number, what: string, currency: CurrencyCode): number {
  if (discount === undefined) return 0;
  const amount = discount.kind === 'amount' ? discount.amountMinor : percentOf(baseMinor, discount.basisPoints);
  if (amount > baseMinor) throw rejected(`the discount of ${describe(discount, currency)} is more than the ${what} (${amountText(baseMinor, currency)})`);
  return amount;
}

export function priceLines(inputs: readonly LineInput[], saleDiscount: Discount | undefined, currency: CurrencyCode): { lines: SaleLine[]; totals: SaleTotals } {
  const cny = (amountMinor: number) => money(amountMinor, currency);
  const stepOne = inputs.map((input) => {
    if (input.unitPrice.currency !== currency) throw rejected(`${input.sku} is priced in ${input.unitPrice.currency}, the sale is in ${currency}`);
    const gross = input.unitPrice.amountMinor * input.quantity;
    if (!Number.isSafeInteger(gross)) throw rejected(`line ${input.lineNo} is too large`);
    const lineDiscount = discountAmount(input.lineDiscount, gross, `line ${input.lineNo}'s amount`, currency);
    return { input, gross, lineDiscount, afterLine: gross - lineDiscount };
  });
  const afterLines = stepOne.reduce((sum, line) => sum + line.afterLine, 0);
  const saleDiscountMinor = discountAmount(saleDiscount, afterLines, "sale's amount", currency);
  const shares = allocateLargestRemainder(saleDiscountMinor, stepOne.map((line) => line.afterLine));

  const lines: SaleLine[] = stepOne.map(({ input, gross, lineDiscount, afterLine }, index) => {
    const share = shares[index] ?? 0;
    const amount = afterLine - share;
    return {
      lineNo: input.lineNo,
      sku: input.sku,
      name: input.name,
      quantity: input.quantity,
      unitPrice: input.unitPrice,
      ...(input.catalogUnitPrice ? { catalogUnitPrice: input.catalogUnitPrice } : {}),
      ...(input.lineDiscount ? { lineDiscount: input.lineDiscount } : {}),
      vatRateBp: input.vatRateBp,
      gross: cny(gross),
      lineDiscountAmount: cny(lineDiscount),
      saleDiscountShare: cny(share),
      amount: cny(amount),
      vat: cny(vatOfInclusive(amount, input.vatRateBp)),
    };
  });

  const sum = (pick: (line: SaleLine) => Money) => lines.reduce((total, line) => total + pick(line).amountMinor, 0);
  const subtotal = sum((line) => line.gross);
  const total = sum((line) => line.amount);
  return {
    lines,
    totals: { subtotal: cny(subtotal), discount: cny(subtotal - total), total: cny(total), vat: cny(sum((line) => line.vat)), vatByRate: vatByRate(lines, currency) },
  };
}

/** Σ amount and Σ VAT of the lines at each rate, highest rate first. */
export function vatByRate(lines: readonly Pick<SaleLine, 'vatRateBp' | 'amount' | 'vat'>[], currency: CurrencyCode): VatByRate[] {
  const rates = [...new Set(lines.map((line) => line.vatRateBp))].sort((a, b) => b - a);
  return rates.map((rateBp) => {
    const at = lines.filter((line) => line.vatRateBp === rateBp);
    return {
      rateBp,
      amount: money(at.reduce((sum, line) => sum + line.amount.amountMinor, 0), currency),
      vat: money(at.reduce((sum, line) => sum + line.vat.amountMinor, 0), currency),
    };
  });
}

/**
 * A refund's share of each VAT rate: the refunded amount split across the sale's rates in
 * proportion to their amounts (largest remainder), and the VAT of each share by the line rule.
 */
export function refundVatByRate(refundMinor: number, sale: readonly VatByRate[], currency: CurrencyCode): VatByRate[] {
  if (sale.every((rate) => rate.amount.amountMinor === 0)) return [];
  const shares = allocateLargestRemainder(refundMinor, sale.map((rate) => rate.amount.amountMinor));
  return sale.map((rate, index) => {
    const share = shares[index] ?? 0;
    return { rateBp: rate.rateBp, amount: money(share, currency), vat: money(vatOfInclusive(share, rate.rateBp), currency) };
  });
}


function describe(discount: Discount, currency: CurrencyCode): string {
  return discount.kind === 'amount' ? amountText(discount.amountMinor, currency) : `${discount.basisPoints / 100} %`;
}
