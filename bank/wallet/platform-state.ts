/**
 * What every part of the wallet platform works on: the ledger's unit of work, the wallet tables,
 * the host's risk monitor, the config and the clock. Built once by start-wallet-platform.ts.
 */
import type { RiskMonitor } from '../risk/risk-monitor.ts';
import type { NotificationOutbox } from './notification-outbox.ts';
import type { PaymentCodes } from './payment-codes.ts';
import type { RequestNonces } from './request-nonces.ts';
import type { WalletAccounts } from './wallet-accounts.ts';
import type { WalletPlatformConfig } from './wallet-config.ts';
import type { WalletOrders } from './wallet-orders.ts';
import type { WalletRefunds } from './wallet-refunds.ts';

export interface PlatformState {
  /**
   * One request's reads and writes as one unit of the ledger, committed (fsynced) before its answer.
   * A WalletApiError thrown inside still commits what was written (atomicallyRefusing).
   */
  atomically<T>(work: () => T): T;
  readonly accounts: WalletAccounts;
  readonly orders: WalletOrders;
  readonly refunds: WalletRefunds;
  readonly codes: PaymentCodes;
  readonly nonces: RequestNonces;
  readonly outbox: NotificationOutbox;
  readonly risk: RiskMonitor;
  /** The risk rules that watch each wallet; undefined: all of them. */
  readonly walletRiskRules: ReadonlyMap<string, readonly string[] | undefined>;
  readonly config: WalletPlatformConfig;
  readonly now: () => Date;
}
