/**
 * The test card deck format, shared by the host simulator (which issues these cards) and the
 * virtual card reader (which swipes them). The deck is test data: it carries PINs in clear so the
 * simulated-devices panel can show them; no real card data ever belongs in it.
 */
import { z } from 'zod';
import { CurrencySchema } from './payment.ts';

const digits = (min: number, max: number) => z.string().regex(new RegExp(`^\\d{${min},${max}}$`), `${min}–${max} digits`);

export const TestDeckCardSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'lower-case letters, digits and dashes'),
  label: z.string().min(1),
  pan: digits(12, 19),
  expiry: z.string().regex(/^\d{2}(0[1-9]|1[0-2])$/, 'YYMM'),
  serviceCode: digits(3, 3),
  discretionary: z.string().regex(/^\d{0,16}$/, 'up to 16 digits'),
  cardholderName: z.string().regex(/^[A-Z /.-]{2,26}$/, '2–26 upper-case letters, space, / . -'),
  pin: digits(4, 12),
  status: z.enum(['active', 'lost', 'stolen', 'blocked']),
  account: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('debit'), balanceMinor: z.number().int().min(0), currency: CurrencySchema }),
    z.strictObject({ type: z.literal('credit'), creditLimitMinor: z.number().int().min(0), currency: CurrencySchema }),
  ]),
  /** What the card is for in demos and tests, e.g. "approved", "51 insufficient funds". */
  expect: z.string().optional(),
});
export type TestDeckCard = z.infer<typeof TestDeckCardSchema>;

export const TestDeckSchema = z.strictObject({
  description: z.string(),
  cards: z.array(TestDeckCardSchema).min(1),
});
export type TestDeck = z.infer<typeof TestDeckSchema>;
