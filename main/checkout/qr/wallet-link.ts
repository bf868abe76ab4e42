/**
 * The station's link to the wallet platform: the signed merchant client (payments/wallet/), rebuilt
 * when the platform moves (the bundled host restarted with its wallet on another free port), and the
 * notify endpoint the platform posts payments to (127.0.0.1, port 0), whose notifications move the
 * QR legs in the journal. Order and refund numbers are made here: unique per station and attempt.
 */
import { randomBytes } from 'node:crypto';
import { createNotificationReceiver, type NotificationReceiver } from '../../../payments/wallet/wallet-notifications.ts';
import { startNotificationListener, type NotificationListener } from '../../../payments/wallet/notification-listener.ts';
import { hmacKey } from '../../../payments/wallet/signature.ts';
import { createWalletClient, type WalletClient } from '../../../payments/wallet/wallet-client.ts';
import type { WalletConfig } from '../../config/wallet-config.ts';
import type { Journal } from '../../journal/journal.ts';
import { SaleError } from '../../sales/sale-error.ts';

export interface WalletLinkOptions {
  readonly config: WalletConfig;
  /** Where the bundled host's wallet platform listens now; undefined when there is none. */
  readonly endpoint: () => { readonly host: string; readonly port: number } | undefined;
  readonly journal: Journal;
  readonly terminalId: string;
  readonly log: (line: string) => void;
}

export interface WalletLink {
  /** Where the platform is now (the virtual phone talks to it too); undefined when there is none. */
  baseUrl(): string | undefined;
  /** The client of the platform where it is now; refuses when no platform is configured or running. */
  client(): WalletClient;
  readonly notifications: NotificationReceiver;
  /** The notify URL orders carry; set once start() has listened. */
  notifyUrl(): string;
  /** A fresh number for a payment or a refund of `tenderId` (out_trade_no / out_refund_no). */
  newNumber(kind: 'P' | 'R', tenderId: number): string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createWalletLink(options: WalletLinkOptions): WalletLink {
  const key = hmacKey(options.config.key);
  const notifications = createNotificationReceiver({ mchid: options.config.mchid, platformKey: key, store: options.journal.qrLegs.paymentStore() });
  let listener: NotificationListener | undefined;
  let current: { baseUrl: string; client: WalletClient } | undefined;
  const station = options.terminalId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'POS';

  function baseUrl(): string | undefined {
    if (options.config.baseUrl !== undefined) return options.config.baseUrl;
    const endpoint = options.endpoint();
    return endpoint === undefined ? undefined : `http://${endpoint.host}:${endpoint.port}`;
  }

  return {
    baseUrl,
    client() {
      const url = baseUrl();
      if (url === undefined) throw new SaleError('unavailable', 'QR payments need a wallet platform: the bundled host runs none and station.json names none (wallet.baseUrl)');
      if (current?.baseUrl !== url) {
        current?.client.dispose();
        current = { baseUrl: url, client: createWalletClient({ baseUrl: url, mchid: options.config.mchid, signing: key, platformKey: key, timeoutMs: 10_000 }) };
      }
      return current.client;
    },
    notifications,
    notifyUrl() {
      if (listener === undefined) throw new Error('the wallet notify endpoint is not listening');
      return listener.url;
    },
    newNumber: (kind, tenderId) => `${kind}${station}${tenderId}${randomBytes(5).toString('hex')}`,
    async start() {
      listener = await startNotificationListener({ receiver: notifications, log: options.log });
    },
    async stop() {
      current?.client.dispose();
      current = undefined;
      await listener?.close();
      listener = undefined;
    },
  };
}
