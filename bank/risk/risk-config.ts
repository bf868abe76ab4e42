/**
 * The risk monitor's keys in the host config (bank/config/host.json): where its rules file is, and
 * the key of the card hash it names cards by. Validated with the rest of the file by
 * config/host-config.ts; the rules file itself by risk-rules.ts.
 */
import { z } from 'zod';

export const RiskConfigSchema = z.strictObject({
  description: z.string().optional(),
  /** The rules file; a relative path is relative to the host config file's directory. */
  rulesFile: z.string().min(1),
  /** HMAC-SHA256 key of the card hash (card-hash.ts): 64 hexadecimal digits. */
  cardHashKey: z.string().regex(/^[0-9A-Fa-f]{64}$/, 'must be 64 hexadecimal digits (a 256-bit key)'),
});
export type RiskConfig = z.infer<typeof RiskConfigSchema>;
