/**
 * The card-check keys of the host config (bank/config/host.json): the card verification keys and the
 * per-transaction amount limits. Validated with the rest of the file by config/host-config.ts.
 */
import { z } from 'zod';
import { CARD_SCHEMES } from '../../../common/card/scheme.ts';

const hexKey32 = z.string().regex(/^[0-9A-Fa-f]{32}$/, 'must be 32 hexadecimal digits (CVK A then CVK B)');
const amountMinor = z.number().int().min(1).max(999_999_999_999);

export const CardSecurityConfigSchema = z
  .strictObject({
    description: z.string().optional(),
    /** Card verification keys per BIN prefix; the longest matching prefix wins (cvk-table.ts). */
    cvks: z
      .array(
        z.strictObject({
          binPrefix: z.string().regex(/^\d{1,8}$/, '1–8 digits'),
          cvk: hexKey32,
          description: z.string().optional(),
        }),
      )
      .min(1),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.cvks.forEach(({ binPrefix }, index) => {
      if (seen.has(binPrefix)) context.addIssue({ code: 'custom', path: ['cvks', index, 'binPrefix'], message: 'BIN prefix already has a CVK' });
      seen.add(binPrefix);
    });
  });
export type CardSecurityConfig = z.infer<typeof CardSecurityConfigSchema>;

/** A card product: its scheme and account type, e.g. "unionpay-debit". */
export const CARD_PRODUCTS = CARD_SCHEMES.flatMap((scheme) => [`${scheme}-debit`, `${scheme}-credit`] as const);

export const AmountLimitsConfigSchema = z.strictObject({
  description: z.string().optional(),
  /** Largest single purchase per product, in minor units of the account currency. */
  perProductMinor: z.partialRecord(z.enum(CARD_PRODUCTS), amountMinor),
  /** Per deck card id; overrides the product's limit (either way: higher or lower). */
  perCardMinor: z.record(z.string().regex(/^[a-z0-9-]{1,64}$/, 'a deck card id'), amountMinor),
});
export type AmountLimitsConfig = z.infer<typeof AmountLimitsConfigSchema>;
