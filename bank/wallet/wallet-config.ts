/**
 * The wallet platform's configuration: the `wallet` section of the host config (where it listens,
 * which file configures it) and that file (bank/config/wallet-platform.json): brand, wallets,
 * merchants and their keys, signature window, payment codes, orders, notifications. Paths inside
 * are relative to the file that names them. Validated on load, with the file and JSON path of
 * every problem.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { hmacKey, rsaSigningKey, rsaVerifyingKey, type SigningKey, type VerifyingKey } from '../../payments/wallet/signature.ts';
import { readJsonFile } from '../json-file.ts';

export const WalletHostSectionSchema = z.strictObject({
  description: z.string().optional(),
  listen: z.strictObject({ host: z.string().min(1), port: z.number().int().min(0).max(65535) }),
  configFile: z.string().min(1),
});
export type WalletHostSection = z.infer<typeof WalletHostSectionSchema>;

const described = { description: z.string().optional() };
const MerchantSchema = z.strictObject({
  mchid: z.string().regex(/^\d{8,32}$/, '8–32 digits'),
  name: z.string().min(1).max(64),
  signature: z.discriminatedUnion('algorithm', [
    z.strictObject({ algorithm: z.literal('HMAC-SHA256'), key: z.string().regex(/^[0-9A-Fa-f]{64}$/, '64 hexadecimal digits (a 256-bit key)') }),
    z.strictObject({ algorithm: z.literal('RSA-SHA256'), publicKeyFile: z.string().min(1) }),
  ]),
});

const WalletPlatformFileSchema = z.strictObject({
  ...described,
  brand: z.string().regex(/^[A-Za-z0-9 ]{1,20}$/, '1–20 Latin letters, digits or spaces'),
  walletsFile: z.string().min(1),
  signatures: z.strictObject({ ...described, timestampWindowSeconds: z.number().int().min(1).max(3_600) }),
  platformKeys: z.strictObject({ ...described, rsaPrivateKeyFile: z.string().min(1) }),
  paymentCodes: z.strictObject({
    ...described,
    prefixes: z.array(z.string().regex(/^\d{2}$/, 'two digits')).min(1),
    ttlSeconds: z.number().int().min(5).max(600),
  }),
  orders: z.strictObject({
    ...described,
    expireSeconds: z.number().int().min(60).max(7_200),
    userPayingTimeoutSeconds: z.number().int().min(1).max(3_600),
    passwordTries: z.number().int().min(1).max(10),
  }),
  notifications: z.strictObject({
    ...described,
    retryScheduleMs: z.array(z.number().int().min(0).max(86_400_000)).max(30),
    attemptTimeoutMs: z.number().int().min(10).max(60_000),
    maxInFlight: z.number().int().min(1).max(256),
  }),
  passwordHash: z.strictObject({ ...described, cost: z.number().int().min(2).max(1_048_576).refine((n) => (n & (n - 1)) === 0, 'a power of two') }),
  responseDelayMs: z.number().int().min(0).max(120_000),
  merchants: z.array(MerchantSchema).min(1),
});
type WalletPlatformFile = z.infer<typeof WalletPlatformFileSchema>;

export interface MerchantKeys {
  readonly mchid: string;
  readonly name: string;
  /** Verifies the merchant's requests. */
  readonly verifying: VerifyingKey;
  /** Signs the platform's responses and notifications to it. */
  readonly signing: SigningKey;
}

export interface WalletPlatformConfig extends Omit<WalletPlatformFile, 'merchants' | 'walletsFile' | 'platformKeys'> {
  readonly walletsPath: string;
  readonly merchants: ReadonlyMap<string, MerchantKeys>;
}

export function loadWalletPlatformConfig(path: string): WalletPlatformConfig {
  const file = readJsonFile(path, WalletPlatformFileSchema, 'wallet platform config');
  const here = dirname(path);
  const read = (relative: string, what: string) => {
    try {
      return readFileSync(resolve(here, relative), 'utf8');
    } catch (error) {
      throw new Error(`wallet platform config ${path}: cannot read ${what} ${relative}: ${(error as Error).message}`);
    }
  };
  const platformSigning = rsaSigningKey(read(file.platformKeys.rsaPrivateKeyFile, 'the platform RSA private key'));
  const merchants = new Map<string, MerchantKeys>();
  for (const [index, merchant] of file.merchants.entries()) {
    if (merchants.has(merchant.mchid)) throw new Error(`wallet platform config ${path}: $.merchants[${index}].mchid ${merchant.mchid} is listed twice`);
    const keys =
      merchant.signature.algorithm === 'HMAC-SHA256'
        ? { verifying: hmacKey(merchant.signature.key), signing: hmacKey(merchant.signature.key) }
        : { verifying: rsaVerifyingKey(read(merchant.signature.publicKeyFile, `merchant ${merchant.mchid}'s public key`)), signing: platformSigning };
    merchants.set(merchant.mchid, { mchid: merchant.mchid, name: merchant.name, ...keys });
  }
  const { merchants: _merchants, walletsFile, platformKeys: _keys, ...rest } = file;
  return { ...rest, walletsPath: resolve(here, walletsFile), merchants };
}
