/**
 * The station's configuration: who the merchant is, which card schemes it accepts, where the
 * acquirer host is, and which devices to use. It lives as JSON in the data directory; a bad file is
 * refused with the file name, the JSON path and what was expected, never half-applied.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { LINK_TRANSPORTS } from '../../common/acquirer.ts';
import { CARD_SCHEMES } from '../../common/card/scheme.ts';
import { LocalizedTextSchema } from '../../common/ipc/checkout-contract.ts';
import { CurrencySchema } from '../../common/payment.ts';
import { ChipConfigSchema, DEFAULT_CHIP_CONFIG } from './chip-config.ts';
import { CounterPcConfigShape, DEFAULT_COUNTER_PC_CONFIG } from './counter-pc-config.ts';
import { DEFAULT_WALLET_CONFIG, WalletConfigSchema } from './wallet-config.ts';
import { DEFAULT_DEVICES_CONFIG, DEFAULT_VIRTUAL_PIN_PAD_CONFIG, DevicesConfigSchema, VirtualPinPadConfigSchema } from './device-config.ts';


export const StationConfigSchema = z.strictObject({
  merchant: z.strictObject({
    /** DE42, ans15. */
    id: z.string().regex(/^[ -~]{1,15}$/, 'up to 15 printable ASCII characters'),
    /** DE41, ans8. */
    terminalId: z.string().regex(/^[ -~]{8}$/, 'exactly 8 printable ASCII characters'),
    name: LocalizedTextSchema,
  }),
  currency: CurrencySchema,
  /** Step 1 of a card payment: the schemes this merchant signed up for. Others are refused at the terminal. */
  acceptedSchemes: z.array(z.enum(CARD_SCHEMES)).min(1),
  acquirer: z.strictObject({
    /** bundled: the station starts its own host simulator; remote: it connects to host:port. */
    mode: z.enum(['bundled', 'remote']),
    host: z.string().min(1),
    /** 0 with the bundled host means "any free port". */
    port: z.number().int().min(0).max(65535),
    responseTimeoutMs: z.number().int().min(1000).max(120_000),
    /**
     * tls (the default, also for a file written before the setting existed): TLS 1.3 with a client
     * certificate from DATA_DIR/acquirer-tls, the host's CA pinned. plain: TCP without encryption,
     * only for a host that has no TLS; the station warns about it in the log and the status bar.
     */
    transport: z.enum(LINK_TRANSPORTS).default('tls'),
  }),
  devices: DevicesConfigSchema,
  /** Key injection for the virtual PIN pad (TDES or AES DUKPT), never the BDK. */
  virtualPinPad: VirtualPinPadConfigSchema,
  pinEntryTimeoutSeconds: z.number().int().min(10).max(300),
  /** Contactless limits and the chip fallback rule (chip-config.ts). */
  chip: ChipConfigSchema.default(DEFAULT_CHIP_CONFIG),
  /** Receipts print in the merchant's language, whatever language the cashier's screen shows. */
  receipt: z.strictObject({ locale: z.enum(['zh-CN', 'en']), paperWidthMm: z.union([z.literal(58), z.literal(80)]) }),
  /**
   * The head office this station uploads its sales to and takes price lists from (docs/head-office.md);
   * absent: a station on its own. Its credential is in the data directory (keys/head-office.json).
   */
  headOffice: z
    .strictObject({
      url: z.url({ protocol: /^https?$/ }),
      /** PEM of the CA of the head office's certificate, when it is not a public one. */
      caFile: z.string().min(1).optional(),
      /** How often to ask for a newer price list (default 300). */
      priceListPollSeconds: z.number().int().min(5).max(86_400).optional(),
    })
    .optional(),
  /** QR payments (wallet-config.ts); a file from before QR payments gets the defaults. */
  wallet: WalletConfigSchema.default(DEFAULT_WALLET_CONFIG),
  /** Log files, backups, kiosk mode and autostart (counter-pc-config.ts). */
  ...CounterPcConfigShape,
});
export type StationConfig = z.infer<typeof StationConfigSchema>;

export const DEFAULT_STATION_CONFIG: StationConfig = {
  merchant: { id: '898310048160001', terminalId: 'POS00001', name: { 'zh-CN': '示范便利店', en: 'Demo Convenience Store' } },
  currency: 'CNY',
  acceptedSchemes: ['unionpay', 'visa', 'mastercard', 'jcb'],
  acquirer: { mode: 'bundled', host: '127.0.0.1', port: 0, responseTimeoutMs: 30_000, transport: 'tls' },
  devices: DEFAULT_DEVICES_CONFIG,
  virtualPinPad: DEFAULT_VIRTUAL_PIN_PAD_CONFIG,
  pinEntryTimeoutSeconds: 60,
  chip: DEFAULT_CHIP_CONFIG,
  receipt: { locale: 'zh-CN', paperWidthMm: 80 },
  wallet: DEFAULT_WALLET_CONFIG,
  ...DEFAULT_COUNTER_PC_CONFIG,
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function parseStationConfig(raw: unknown, source: string): StationConfig {
  const parsed = StationConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(`${source} is not a valid station configuration:\n${problems.join('\n')}`);
}

/** Reads the config file, creating it with the defaults on first start so the merchant can edit it. */
export function loadStationConfig(path: string): StationConfig {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(DEFAULT_STATION_CONFIG, null, 2)}\n`);
    return DEFAULT_STATION_CONFIG;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseStationConfig(raw, path);
}
