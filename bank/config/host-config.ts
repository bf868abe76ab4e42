/** The host simulator's configuration file (bank/config/host.json) and its validation. */
import { z } from 'zod';
import { AcquiringConfigSchema, NO_ACQUIRING_RULES } from '../acquiring/acquiring-config.ts';
import { AmountLimitsConfigSchema, CardSecurityConfigSchema } from '../issuer/card-checks/card-checks-config.ts';
import { DEFAULT_LOGGING_CONFIG, LoggingConfigSchema } from '../../common-node/rotating-log.ts';
import { readJsonFile } from '../json-file.ts';
import { RiskConfigSchema } from '../risk/risk-config.ts';
import { ChipConfigSchema, NO_CHIP_KEYS } from '../issuer/chip/chip-config.ts';
import { WalletHostSectionSchema } from '../wallet/wallet-config.ts';

export const HostConfigSchema = z.strictObject({
  description: z.string().optional(),
  /** Where the CLI listens unless --host/--port say otherwise; port 0 means any free port. */
  listen: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
  }),
  security: z.strictObject({
    description: z.string().optional(),
    /** Base derivation key for TDES DUKPT PIN blocks: 32 hex digits (a double-length key). */
    bdk: z.string().regex(/^[0-9A-Fa-f]{32}$/, 'must be 32 hexadecimal digits (a double-length TDES key)'),
    /** Base derivation key for AES DUKPT PIN blocks (ISO 9564 format 4 in DE111): 32 hex digits (AES-128). */
    aesBdk: z.string().regex(/^[0-9A-Fa-f]{32}$/, 'must be 32 hexadecimal digits (an AES-128 key)'),
    /** The encrypting readers' BDK for TDES DUKPT card data (DE120, key type 01): a key of its own, never a PIN BDK. */
    dataBdk: z.string().regex(/^[0-9A-Fa-f]{32}$/, 'must be 32 hexadecimal digits (a double-length TDES key)'),
    /** The encrypting readers' BDK for AES DUKPT card data (DE120, key type 02). */
    aesDataBdk: z.string().regex(/^[0-9A-Fa-f]{32}$/, 'must be 32 hexadecimal digits (an AES-128 key)'),
  }),
  timing: z.strictObject({
    /** Added before every response, to rehearse a slow network or issuer; 0 answers at once. */
    responseDelayMs: z.number().int().min(0).max(120_000),
  }),
  link: z.strictObject({
    description: z.string().optional(),
    /** Largest frame accepted from a station; a larger length prefix closes that connection. */
    maxFrameBytes: z.number().int().min(64).max(65_535),
    /**
     * Under TLS (the default), the DNS names and IP addresses stations reach the host by: its server
     * certificate names each, and a station checks the name it dialled against them. Add the host's
     * LAN name or address when stations on other machines connect. The listen address, when it is
     * not a wildcard, is added by itself.
     */
    serverNames: z.array(z.string().min(1)).min(1).default(['localhost', '127.0.0.1', '::1']),
  }),
  /** Left out of older config files: the profile's default window applies. */
  duplicates: z
    .strictObject({
      description: z.string().optional(),
      /** A request repeating the DE11 + DE41 + DE7 of one answered less than this long ago is answered 94. */
      windowMs: z.number().int().min(0).max(86_400_000),
    })
    .default({ windowMs: 300_000 }),
  /** Card verification keys by BIN (card checks, bank/issuer/card-checks). */
  cardSecurity: CardSecurityConfigSchema,
  /** Per-purchase limits (61); none when left out. */
  amountLimits: AmountLimitsConfigSchema.default({ perProductMinor: {}, perCardMinor: {} }),
  /** Real-time risk monitoring (bank/risk). */
  risk: RiskConfigSchema,
  /** Issuer master keys per BIN for chip cryptograms (bank/issuer/chip); none when left out. */
  chip: ChipConfigSchema.default(NO_CHIP_KEYS),
  /** The wallet platform (bank/wallet/); a host config without this section runs no wallet platform. */
  wallet: WalletHostSectionSchema.optional(),
  /** Terminal permissions (58) and issuer outages (91); none when left out. */
  acquiring: AcquiringConfigSchema.default(NO_ACQUIRING_RULES),
  /** The host's log file (<data>/logs/host.log): level, size cap and files kept; defaults when left out. */
  logging: LoggingConfigSchema.default(DEFAULT_LOGGING_CONFIG),
});
export type HostConfig = z.infer<typeof HostConfigSchema>;

export function loadHostConfig(path: string): HostConfig {
  return readJsonFile(path, HostConfigSchema, 'host config');
}
