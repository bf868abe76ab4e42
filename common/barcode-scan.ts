/**
 * A barcode scan as the checkout is told of it: the code, the symbology when the scanner said, and
 * what the station's catalog made of it. The station resolves the code; the checkout only rings up
 * the SKU it is given, or shows why it cannot.
 */
import { z } from 'zod';
import { LocalizedTextSchema } from './catalog.ts';
import { MoneySchema } from './payment.ts';

/** The longest code the station passes on (a 2D code may carry a few kilobytes; a product code is 8–14 digits). */
export const MAX_SCANNED_CODE_LENGTH = 4096;

export const ScanOutcomeSchema = z.discriminatedUnion('kind', [
  /** A catalog item, by its GTIN (or its SKU printed as a barcode), sold at its catalog price. */
  z.object({ kind: z.literal('item'), sku: z.string(), name: LocalizedTextSchema }),
  /** A price-embedded scale label ("2" range EAN-13): the item of its template, at the price in the code. */
  z.object({ kind: z.literal('priced_item'), sku: z.string(), name: LocalizedTextSchema, price: MoneySchema }),
  /** An item the catalog keeps for old receipts and reports but no longer sells. */
  z.object({ kind: z.literal('inactive'), sku: z.string(), name: LocalizedTextSchema }),
  z.object({ kind: z.literal('unknown') }),
]);
export type ScanOutcome = z.infer<typeof ScanOutcomeSchema>;

export const BarcodeScanSchema = z.object({
  code: z.string().min(1).max(MAX_SCANNED_CODE_LENGTH),
  /** The AIM symbology identifier, e.g. "]E0" for EAN-13 (HID POS scanners send it; keyboard ones do not). */
  symbology: z.string().max(3).optional(),
  outcome: ScanOutcomeSchema,
});
export type BarcodeScan = z.infer<typeof BarcodeScanSchema>;
