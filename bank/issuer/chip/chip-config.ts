/**
 * The chip section of the host config (bank/config/host.json): the issuer master keys per BIN
 * prefix (MK-AC for cryptograms, MK-SMI and MK-SMC for issuer scripts), from which the host derives
 * each card's keys by EMV option A. TEST KEYS ONLY. Also the issuer's contactless no-CVM limit. Validated with the rest of the file.
 */
import { z } from 'zod';

const key = z.string().regex(/^[0-9A-F]{32}$/, 'must be 32 upper-case hexadecimal digits (a double-length DES key)');

export const ChipConfigSchema = z
  .strictObject({
    description: z.string().optional(),
    issuerMasterKeys: z.array(
      z.strictObject({
        binPrefix: z.string().regex(/^\d{1,8}$/, '1–8 digits'),
        ac: key,
        smi: key,
        smc: key,
        description: z.string().optional(),
      }),
    ),
    /** Contactless purchases above this amount (minor units) need the online PIN (chip/cvm-policy.ts); left out: 1,000.00. */
    contactlessCvmLimitMinor: z.number().int().min(0).default(100_000),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.issuerMasterKeys.forEach(({ binPrefix }, index) => {
      if (seen.has(binPrefix)) context.addIssue({ code: 'custom', path: ['issuerMasterKeys', index, 'binPrefix'], message: 'BIN prefix already has issuer master keys' });
      seen.add(binPrefix);
    });
  });
export type ChipConfig = z.infer<typeof ChipConfigSchema>;

export const NO_CHIP_KEYS: ChipConfig = { issuerMasterKeys: [], contactlessCvmLimitMinor: 100_000 };
