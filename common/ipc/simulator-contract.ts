/**
 * The simulated-devices panel's contract. The panel stands in for the hardware itself: it swipes
 * test cards through the virtual reader and presses keys on the virtual PIN pad's own keypad.
 * It talks to the virtual devices, never to the checkout.
 */
import { z } from 'zod';
import { CARD_SCHEMES } from '../card/scheme.ts';
import { defineContract } from './define-contract.ts';

export const PIN_PAD_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', 'cancel', 'enter'] as const;
export type PinPadKey = (typeof PIN_PAD_KEYS)[number];

export const TestCardSchema = z.object({
  id: z.string(),
  label: z.string(),
  maskedPan: z.string(),
  scheme: z.enum(CARD_SCHEMES).optional(),
  /** The PIN the issuer expects, printed on the panel because these are test cards. */
  testPin: z.string(),
});
export type TestCard = z.infer<typeof TestCardSchema>;

export const PinPadDisplaySchema = z.object({
  lines: z.array(z.string()).max(4),
  /** Number of digits typed so far; the digits themselves never leave the PIN pad. */
  pinDigits: z.number().int().min(0).max(12),
  awaitingPin: z.boolean(),
});
export type PinPadDisplay = z.infer<typeof PinPadDisplaySchema>;

export const simulatorContract = defineContract({
  name: 'sim',
  methods: {
    listTestCards: { input: z.strictObject({}), output: z.array(TestCardSchema) },
    swipeCard: {
      input: z.strictObject({ cardId: z.string().min(1).max(64), fault: z.enum(['none', 'bad_read']).default('none') }),
      output: z.object({ swiped: z.boolean() }),
    },
    pressPinPadKey: { input: z.strictObject({ key: z.enum(PIN_PAD_KEYS) }), output: z.object({ accepted: z.boolean() }) },
  },
  events: {
    pinPadDisplay: PinPadDisplaySchema,
  },
});
export type SimulatorContract = typeof simulatorContract;
