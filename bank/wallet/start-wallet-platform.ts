/**
 * Starts the wallet platform inside the host process: its tables in the host's ledger (same
 * connection, same group commit), the wallets seeded from the wallet deck, the host's risk monitor,
 * the HTTP server on its own port and the notifier. bank/start-host.ts calls it when the host
 * config has a `wallet` section.
 */
import { dirname, resolve } from 'node:path';
import { hmacKey } from '../../payments/wallet/signature.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { RiskMonitor } from '../risk/risk-monitor.ts';
import { createAppOperations } from './app-operations.ts';
import { walletRoutes } from './api-routes.ts';
import { createMerchantOperations } from './merchant-operations.ts';
import { prepareNotificationOutbox } from './notification-outbox.ts';
import { startNotifier } from './notifier.ts';
import { orderView } from './order-view.ts';
import { hashPassword } from './password-hash.ts';
import { preparePaymentCodes } from './payment-codes.ts';
import type { PlatformState } from './platform-state.ts';
import { prepareRequestNonces } from './request-nonces.ts';
import { prepareWalletAccounts } from './wallet-accounts.ts';
import { atomicallyRefusing } from './wallet-api-error.ts';
import { loadWalletPlatformConfig, type WalletHostSection } from './wallet-config.ts';
import { loadWalletDeck } from './wallet-deck.ts';
import { startWalletHttpServer, type Signer } from './wallet-http-server.ts';
import { prepareWalletOrders } from './wallet-orders.ts';
import { prepareWalletRefunds } from './wallet-refunds.ts';

export interface WalletPlatformOptions {
  readonly section: WalletHostSection;
  /** The host config file, which section.configFile is relative to. */
  readonly hostConfigPath: string;
  readonly ledger: Ledger;
  readonly risk: RiskMonitor;
  /** Every rule id of the host's risk rules (a wallet may name only these). */
  readonly riskRuleIds: readonly string[];
  readonly host?: string;
  readonly port: number;
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

export interface RunningWalletPlatform {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startWalletPlatform(options: WalletPlatformOptions): Promise<RunningWalletPlatform> {
  const { ledger, now, log } = options;
  const config = loadWalletPlatformConfig(resolve(dirname(options.hostConfigPath), options.section.configFile));
  const wallets = loadWalletDeck(config.walletsPath, options.riskRuleIds);
  const db = ledger.db;
  const accounts = prepareWalletAccounts(db);
  // Wallets are seeded on the first start only and never overwritten; the hashes run in parallel
  // on the thread pool (one scrypt is tens of milliseconds).
  const missing = accounts.missing(wallets);
  const hashes = await Promise.all(missing.map((wallet) => hashPassword(wallet.password, config.passwordHash.cost)));
  ledger.atomically(() => missing.forEach((wallet, index) => accounts.create(wallet, hashes[index]!)));
  await new Promise<void>((resolve, reject) => ledger.afterCommit((error) => (error === undefined ? resolve() : reject(error))));

  const atomically = <T>(work: () => T): T => atomicallyRefusing(ledger.atomically, work);
  const state: PlatformState = {
    atomically,
    accounts,
    orders: prepareWalletOrders(db),
    refunds: prepareWalletRefunds(db),
    codes: preparePaymentCodes(db, config.paymentCodes.prefixes, config.paymentCodes.ttlSeconds * 1000),
    nonces: prepareRequestNonces(db, config.signatures.timestampWindowSeconds),
    outbox: prepareNotificationOutbox(db),
    risk: options.risk,
    walletRiskRules: new Map(wallets.map((wallet) => [wallet.id, wallet.riskRules === 'all' ? undefined : wallet.riskRules])),
    config,
    now,
  };

  const appSigners = new Map<string, Signer>(
    wallets.map((wallet) => {
      const key = hmacKey(wallet.appKey);
      return [wallet.userId, { id: wallet.id, verifying: key, signing: key }];
    }),
  );
  const merchantName = (mchid: string) => config.merchants.get(mchid)?.name ?? mchid;

  const notifier = startNotifier({
    outbox: state.outbox,
    order(orderId) {
      const order = state.orders.byId(orderId)!;
      return { mchid: order.mchid, view: orderView(state, order) };
    },
    signingKey: (mchid) => config.merchants.get(mchid)!.signing,
    atomically: ledger.atomically,
    afterCommit: (listener) => ledger.afterCommit(listener),
    ...config.notifications,
    now,
    log,
  });

  const server = await startWalletHttpServer({
    host: options.host ?? options.section.listen.host,
    port: options.port,
    routes: walletRoutes(createMerchantOperations(state), createAppOperations(state, merchantName)),
    signer(realm, principal) {
      if (realm === 'app') return appSigners.get(principal);
      const merchant = config.merchants.get(principal);
      return merchant === undefined ? undefined : { id: merchant.mchid, verifying: merchant.verifying, signing: merchant.signing };
    },
    claimNonce: (realm, principal, nonce, timestamp) => ledger.atomically(() => state.nonces.claim(`${realm}:${principal}`, nonce, timestamp, now().getTime())),
    timestampWindowSeconds: config.signatures.timestampWindowSeconds,
    afterCommit: (listener) => ledger.afterCommit(listener),
    afterRequest: () => {
      if (state.outbox.takeAdded()) notifier.kick();
    },
    responseDelayMs: config.responseDelayMs,
    now,
    log,
  });
  log(`wallet platform ${config.brand} ready: ${wallets.length} wallets, ${config.merchants.size} merchants`);
  return {
    host: server.host,
    port: server.port,
    async close() {
      notifier.close();
      await server.close();
    },
  };
}
