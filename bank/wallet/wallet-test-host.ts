/**
 * Test support: the host (the product's own startHost) with its wallet platform on free ports, a
 * data directory of its own, a clock the test can move forward (shared by the host and the
 * clients, so signatures stay fresh), and clients signed as the bundled test merchants and test wallets.
 * `platform` overrides settings of the bundled wallet-platform.json (short retry schedules, a
 * response delay, a cheap password hash), written to a temporary copy of the config.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { TestWallet } from '../../common/test-wallets.ts';
import { createWalletAppClient, type WalletAppClient } from '../../payments/wallet/wallet-app-client.ts';
import { createWalletClient, type WalletClient } from '../../payments/wallet/wallet-client.ts';
import { hmacKey, rsaSigningKey, rsaVerifyingKey } from '../../payments/wallet/signature.ts';
import { loadRiskRules } from '../risk/risk-rules.ts';
import { BUNDLED_CONFIG_PATH, startHost, type RunningHost } from '../start-host.ts';
import { loadWalletDeck } from './wallet-deck.ts';

const CONFIG_DIR = dirname(BUNDLED_CONFIG_PATH);
const BUNDLED_PLATFORM = JSON.parse(readFileSync(join(CONFIG_DIR, 'wallet-platform.json'), 'utf8')) as Record<string, unknown> & {
  merchants: { mchid: string; signature: { algorithm: string; key?: string } }[];
};
export const TEST_WALLETS: readonly TestWallet[] = loadWalletDeck(
  resolve(CONFIG_DIR, BUNDLED_PLATFORM.walletsFile as string),
  loadRiskRules(join(CONFIG_DIR, 'risk-rules.json')).rules.map((rule) => rule.id),
);
export const HMAC_MERCHANT = '1900000001';
export const RSA_MERCHANT = '1900000002';
const HMAC_KEY = BUNDLED_PLATFORM.merchants.find((merchant) => merchant.mchid === HMAC_MERCHANT)!.signature.key!;

export function testWallet(id: string): TestWallet {
  const wallet = TEST_WALLETS.find((candidate) => candidate.id === id);
  if (wallet === undefined) throw new Error(`no test wallet ${id}`);
  return wallet;
}

/** Writes a host config whose wallet section points at a copy of the platform config with `platform` applied; returns its path. */
export function writeWalletHostConfig(dir: string, platform: Record<string, unknown> = {}): string {
  const host = JSON.parse(readFileSync(BUNDLED_CONFIG_PATH, 'utf8')) as Record<string, Record<string, unknown>>;
  const walletConfig = {
    ...BUNDLED_PLATFORM,
    walletsFile: resolve(CONFIG_DIR, BUNDLED_PLATFORM.walletsFile as string),
    platformKeys: { rsaPrivateKeyFile: join(CONFIG_DIR, 'wallet-keys', 'platform-private.pem') },
    merchants: BUNDLED_PLATFORM.merchants.map((merchant) =>
      merchant.signature.algorithm === 'RSA-SHA256' ? { ...merchant, signature: { algorithm: 'RSA-SHA256', publicKeyFile: join(CONFIG_DIR, 'wallet-keys', `merchant-${merchant.mchid}-public.pem`) } } : merchant,
    ),
    // A cheap hash keeps test start-up fast; the bundled cost is exercised by the bundled config's tests.
    passwordHash: { cost: 1024 },
    ...platform,
  };
  writeFileSync(join(dir, 'wallet-platform.json'), JSON.stringify(walletConfig));
  host.wallet = { ...host.wallet, configFile: join(dir, 'wallet-platform.json') };
  host.risk = { ...host.risk, rulesFile: join(CONFIG_DIR, 'risk-rules.json') };
  writeFileSync(join(dir, 'host.json'), JSON.stringify(host));
  return join(dir, 'host.json');
}

export interface WalletTestHost {
  readonly dataDir: string;
  readonly configPath: string;
  readonly logLines: string[];
  readonly running: RunningHost;
  readonly baseUrl: string;
  now(): Date;
  advance(ms: number): void;
  /** A client signed as a bundled test merchant (HMAC 1900000001 by default, or RSA 1900000002). */
  merchant(mchid?: string, options?: { timeoutMs?: number }): WalletClient;
  /** The wallet app of a test wallet. */
  phone(walletId: string): WalletAppClient;
  balance(walletId: string): number;
  query<T>(sql: string, ...params: (string | number)[]): T[];
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startWalletTestHost(platform: Record<string, unknown> = {}): Promise<WalletTestHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wallet-test-host-'));
  const configPath = writeWalletHostConfig(dataDir, platform);
  const logLines: string[] = [];
  // Real time, moved forward by advance(): timers (notification retries) still see time pass.
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  // Plain TCP for the card link: these tests are the wallet's, and a station they start needs no enrolment.
  const start = () => startHost({ dataDir: join(dataDir, 'bank'), configPath, port: 0, transport: 'plain', log: (line) => logLines.push(line), now: clock });
  let running = await start();
  const query = <T>(sql: string, ...params: (string | number)[]): T[] => {
    const db = new DatabaseSync(running.ledgerPath, { readOnly: true });
    try {
      return db.prepare(sql).all(...params).map((row) => ({ ...row }) as T);
    } finally {
      db.close();
    }
  };
  const clients: { dispose(): void }[] = [];
  const baseUrl = () => `http://${running.wallet!.host}:${running.wallet!.port}`;
  const track = <T extends { dispose(): void }>(client: T) => {
    clients.push(client);
    return client;
  };
  return {
    dataDir,
    configPath,
    logLines,
    get running() {
      return running;
    },
    get baseUrl() {
      return baseUrl();
    },
    now: clock,
    advance(ms) {
      offsetMs += ms;
    },
    merchant(mchid = HMAC_MERCHANT, options = {}) {
      const keys =
        mchid === RSA_MERCHANT
          ? { signing: rsaSigningKey(readFileSync(join(CONFIG_DIR, 'wallet-keys', `merchant-${RSA_MERCHANT}-private.pem`), 'utf8')), platformKey: rsaVerifyingKey(readFileSync(join(CONFIG_DIR, 'wallet-keys', 'platform-public.pem'), 'utf8')) }
          : { signing: hmacKey(HMAC_KEY), platformKey: hmacKey(HMAC_KEY) };
      return track(createWalletClient({ baseUrl: baseUrl(), mchid, ...keys, now: clock, ...options }));
    },
    phone(walletId) {
      const wallet = testWallet(walletId);
      return track(createWalletAppClient({ baseUrl: baseUrl(), userId: wallet.userId, appKey: wallet.appKey, now: clock }));
    },
    balance: (walletId) => query<{ balance_minor: number }>('SELECT balance_minor FROM wallet_accounts WHERE wallet_id = ?', walletId)[0]!.balance_minor,
    query,
    async restart() {
      for (const client of clients.splice(0)) client.dispose();
      await running.close();
      running = await start();
    },
    async close() {
      for (const client of clients.splice(0)) client.dispose();
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
