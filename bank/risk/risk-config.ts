/**
 * The risk monitor's keys in the host config (bank/config/host.json): where its rules file is.
 * Validated with the rest of the file by config/host-config.ts; the rules file itself by
 * risk-rules.ts. The card hash key is not configuration: each install makes its own
 * (card-hash-key.ts), and a config file that still names one is refused rather than half-obeyed.
 */
import { z } from 'zod';

export const RiskConfigSchema = z.strictObject({
  description: z.string().optional(),
  /** The rules file; a relative path is relative to the host config file's directory. */
  rulesFile: z.string().min(1),
  /** Was the shipped test key; now per install (DATA_DIR/keys/card-hash.key). */
  cardHashKey: z.never({ error: 'the card hash key is made per install now (DATA_DIR/keys/card-hash.key); remove it from the config' }).optional(),
});
export type RiskConfig = z.infer<typeof RiskConfigSchema>;
