/**
 * The test card deck format, shared by the host simulator (which issues these cards) and the
 * virtual card reader (which swipes them). The deck is test data: it carries PINs in clear so the
 * simulated-devices panel can show them; no real card data ever belongs in it.
 */
import { z } from 'zod';
import { CurrencySchema } from './payment.ts';

const digits = (min: number, max: number) => z.string().regex(new RegExp(`^\\d{${min},${max}}$`), `${min}–${max} digits`);

/**
 * A card with a chip: how the test PKI tool (scripts/emv-test-pki.ts) personalises its virtual EMV
 * card (bank/deck/chip-cards.json) and how the host treats it. `faults` personalise a card to
 * misbehave for tests; `issuerScript` makes the host return issuer scripts for it.
 */
export const TestDeckChipSchema = z.strictObject({
  cryptogramVersion: z.enum(['visa-cvn10', 'visa-cvn18', 'unionpay-cvn01', 'mastercard-cvn16']),
  panSequenceNumber: z.string().regex(/^\d{2}$/, '2 digits'),
  applications: z
    .array(z.strictObject({ aid: z.string().regex(/^([0-9A-F]{2}){5,16}$/, 'AID: 5–16 bytes of upper-case hex'), label: z.string().regex(/^[ -~]{1,16}$/), priority: z.number().int().min(1).max(0x8f) }))
    .min(1),
  contact: z.boolean(),
  contactless: z.boolean(),
  /** Offline data authentication (DDA) with certificates from the test PKI. */
  oda: z.boolean(),
  faults: z
    .strictObject({
      /** Personalised with AC keys that are not its issuer's: every ARQC fails at the host. */
      wrongAcKey: z.boolean().optional(),
      /** Its ICC public key certificate expired: DDA fails at the terminal. */
      expiredCertificate: z.boolean().optional(),
      /** Its applications are blocked: SELECT answers 6283. */
      applicationBlocked: z.boolean().optional(),
      /** The card refuses at the second GENERATE AC (AAC) after the issuer approved. */
      declinesAtCompletion: z.boolean().optional(),
      /** The chip does not answer: a technical failure that leads to fallback. */
      mute: z.boolean().optional(),
    })
    .optional(),
  /** The host returns issuer scripts with its approvals of this card: PUT DATA before, or APPLICATION BLOCK after, the second GENERATE AC. */
  issuerScript: z.enum(['put-data', 'application-block']).optional(),
});
export type TestDeckChip = z.infer<typeof TestDeckChipSchema>;

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
  chip: TestDeckChipSchema.optional(),
});
export type TestDeckCard = z.infer<typeof TestDeckCardSchema>;

export const TestDeckSchema = z.strictObject({
  description: z.string(),
  cards: z.array(TestDeckCardSchema).min(1),
});
export type TestDeck = z.infer<typeof TestDeckSchema>;
