/**
 * The station's QR payments: its merchant account at the wallet platform (number and key), what its
 * merchant-presented code says of the merchant (EMVCo tags 52, 59, 60 and the Chinese template 64),
 * and how long it waits. The defaults are the bundled platform's HMAC test merchant
 * (bank/config/wallet-platform.json: a TEST KEY that protects nothing), so a demo pays out of the box.
 */
import { z } from 'zod';

export const WalletConfigSchema = z.strictObject({
  /** The merchant's number at the platform (mchid). */
  mchid: z.string().regex(/^\d{1,32}$/, '1–32 digits'),
  /** HMAC-SHA256 key shared with the platform, 64 hex digits. */
  key: z.string().regex(/^[0-9A-Fa-f]{64}$/, '64 hex digits'),
  /** The wallet's name as receipts show it. */
  brand: z.string().min(1).max(32),
  /** The platform's base URL when it is not the bundled host's ("http://host:port"); with the bundled host, left out. */
  baseUrl: z.string().regex(/^https?:\/\/[^\s/]+$/, 'http(s)://host:port').optional(),
  /** Tag 52. */
  merchantCategoryCode: z.string().regex(/^\d{4}$/, '4 digits'),
  /** Tags 59 and 60: Latin characters, as EMVCo requires there (the Chinese ones go in tag 64). */
  merchantNameLatin: z.string().regex(/^[ -~]{1,25}$/, 'up to 25 printable ASCII characters'),
  merchantCityLatin: z.string().regex(/^[ -~]{1,15}$/, 'up to 15 printable ASCII characters'),
  merchantCityZh: z.string().min(1).max(15),
  /** How long a merchant-presented code is shown before the station closes its order. */
  showSeconds: z.number().int().min(10).max(900),
  /** How long a customer-presented payment may stay unsettled (the payer's password) before the station reverses it. */
  micropayLimitSeconds: z.number().int().min(10).max(300),
  /** Waits between queries while a payment is unsettled; the last repeats. */
  queryDelaysMs: z.array(z.number().int().min(100).max(60_000)).min(1).max(10),
});
export type WalletConfig = z.infer<typeof WalletConfigSchema>;

export const DEFAULT_WALLET_CONFIG: WalletConfig = {
  mchid: '1900000001',
  key: 'B78B219AE8BDB32B3C00F4966A66729B75B855B5A1D6FD18C5851664F61400D1',
  brand: 'DemoPay',
  merchantCategoryCode: '5411',
  merchantNameLatin: 'Demo Convenience Store',
  merchantCityLatin: 'Shanghai',
  merchantCityZh: '上海',
  showSeconds: 120,
  micropayLimitSeconds: 45,
  queryDelaysMs: [1_000, 2_000, 3_000],
};
