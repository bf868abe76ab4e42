/** A catalog item as the station sells it: prices are VAT-inclusive, as in China. */
import { z } from 'zod';
import { isValidGtin } from './gtin.ts';
import { MoneySchema } from './payment.ts';

export const LocalizedTextSchema = z.object({ 'zh-CN': z.string(), en: z.string() });
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/**
 * China's VAT rates, in basis points (1300 = 13 %): general goods 13 %, basic food, water and
 * books 9 %, services 6 %, exempt 0 %. Integers, so no rate is ever a binary fraction.
 */
export const VAT_RATES_BP = [1300, 900, 600, 0] as const;
export type VatRateBp = (typeof VAT_RATES_BP)[number];
export const VatRateBpSchema = z.union(VAT_RATES_BP.map((rate) => z.literal(rate)) as [z.ZodLiteral<1300>, z.ZodLiteral<900>, z.ZodLiteral<600>, z.ZodLiteral<0>]);

/** GTIN-8, -12, -13 or -14: the digits a barcode carries, with a right check digit. */
export const GtinSchema = z
  .string()
  .regex(/^(\d{8}|\d{12,14})$/, 'a GTIN of 8, 12, 13 or 14 digits')
  .refine(isValidGtin, 'a GTIN whose check digit is right');

export const ProductSchema = z.object({
  sku: z.string(),
  gtin: GtinSchema.optional(),
  name: LocalizedTextSchema,
  price: MoneySchema,
  vatRateBp: VatRateBpSchema,
  category: z.string(),
  /** An inactive item stays in the catalog for old receipts and reports but cannot be sold. */
  active: z.boolean(),
  /**
   * The pinyin initials of the zh-CN name ("茉莉花茶" → "mlhc"), lower case, for the item search.
   * The station computes them when a catalog is imported or applied; a file never supplies them.
   */
  initials: z.string().optional(),
});
export type Product = z.infer<typeof ProductSchema>;
