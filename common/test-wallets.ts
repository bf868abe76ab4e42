/**
 * The test wallet deck format: the wallets the bundled wallet platform holds (bank/wallet/) and the
 * virtual phone of the simulated-devices panel can use. Test data: payment passwords are in clear
 * so the panel can show them (the platform keeps only a hash); no real account belongs here.
 */
import { z } from 'zod';

export const TestWalletSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'lower-case letters, digits and dashes'),
  label: z.string().min(1),
  /** The platform's user number: 16 digits. */
  userId: z.string().regex(/^\d{16}$/, '16 digits'),
  /** The mobile number the wallet is registered to; merchants only ever see it masked. */
  login: z.string().regex(/^1\d{10}$/, 'an 11-digit mainland mobile number'),
  /** The 6-digit payment password. */
  password: z.string().regex(/^\d{6}$/, '6 digits'),
  /** Payments above this many minor units ask for the password ("user paying"); null: never, 0: always. */
  passwordAboveMinor: z.number().int().min(0).nullable(),
  /** HMAC-SHA256 key of the wallet app (the phone's credentials for the app API): 64 hex digits. */
  appKey: z.string().regex(/^[0-9a-fA-F]{64}$/, '64 hexadecimal digits'),
  status: z.enum(['active', 'frozen']),
  account: z.strictObject({ balanceMinor: z.number().int().min(0), currency: z.literal('CNY') }),
  /** Which of the host's risk rules (by id) watch this wallet: "all", or a list ([] for demo wallets that must stay approved all day). */
  riskRules: z.union([z.literal('all'), z.array(z.string().min(1))]).default('all'),
  /** What paying with this wallet shows in a demo. */
  expect: z.string().optional(),
});
export type TestWallet = z.infer<typeof TestWalletSchema>;

export const TestWalletDeckSchema = z.strictObject({
  description: z.string(),
  wallets: z.array(TestWalletSchema).min(1),
});
export type TestWalletDeck = z.infer<typeof TestWalletDeckSchema>;
