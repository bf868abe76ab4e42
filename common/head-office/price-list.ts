/**
 * The catalog with its prices as the head office publishes it: a numbered version, the whole list
 * each time (a few thousand items at most), so a station that missed versions needs only the newest.
 */
import { z } from 'zod';
import { ProductSchema } from '../catalog.ts';

export const PriceListSchema = z.object({
  version: z.number().int().min(1),
  publishedAt: z.string(),
  note: z.string(),
  items: z.array(ProductSchema),
});
export type PriceList = z.infer<typeof PriceListSchema>;
