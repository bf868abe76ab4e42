/**
 * The acquirer's own rules, ahead of any issuer: which transaction types each terminal may run
 * (58 "not permitted to terminal") and which issuers are down (91 "issuer inoperative"). Both are
 * keys of the host config (bank/config/host.json), validated with the rest of it.
 */
import { z } from 'zod';

export const FINANCIAL_KINDS = ['purchase', 'refund', 'balance_inquiry'] as const;
export type FinancialKind = (typeof FINANCIAL_KINDS)[number];

export const AcquiringConfigSchema = z.strictObject({
  description: z.string().optional(),
  /** A terminal listed here may run only the kinds it lists; a terminal not listed may run all. */
  terminalPermissions: z.record(z.string().regex(/^[ -~]{8}$/, 'a terminal ID: exactly 8 printable ASCII characters'), z.array(z.enum(FINANCIAL_KINDS))),
  /** BIN prefixes whose issuer cannot be reached: their card requests answer 91, unchecked. */
  issuerOutages: z.array(z.strictObject({ binPrefix: z.string().regex(/^\d{1,8}$/, '1–8 digits'), description: z.string().optional() })),
  /**
   * ISO 3166 numeric country code of the acquirer's terminals (all in one country). A chip request's
   * terminal country (9F1A, under the cryptogram) must say it; left out: 156, China.
   */
  terminalCountry: z.string().regex(/^\d{3}$/, 'ISO 3166 numeric: 3 digits').default('156'),
});
export type AcquiringConfig = z.infer<typeof AcquiringConfigSchema>;

export const NO_ACQUIRING_RULES: AcquiringConfig = { terminalPermissions: {}, issuerOutages: [], terminalCountry: '156' };
