/**
 * Starts the acquirer/issuer host simulator in this process: loads config and deck, opens the
 * ledger, seeds accounts and listens. The CLI (bank-host.ts) and tests both start it through here.
 */
import { fileURLToPath } from 'node:url';
import { createPackager } from '../payments/iso8583/packager.ts';
import { PROFILE_V1 } from '../payments/iso8583/profile-v1.ts';
import { loadHostConfig } from './config/host-config.ts';
import { loadCardDeck } from './deck/card-deck.ts';
import { createTdesDukptPinVerifier } from './issuer/pin-verifier.ts';
import { openLedger } from './ledger/ledger.ts';
import { startHostServer } from './server/host-server.ts';
import { createRequestRouter } from './server/request-router.ts';

export const BUNDLED_DECK_PATH = fileURLToPath(new URL('./deck/test-cards.json', import.meta.url));
export const BUNDLED_CONFIG_PATH = fileURLToPath(new URL('./config/host.json', import.meta.url));

export interface StartHostOptions {
  /** Where the ledger database lives; created if missing. */
  readonly dataDir: string;
  readonly deckPath?: string;
  readonly configPath?: string;
  /** Override the config's listen address; port 0 picks a free port. */
  readonly host?: string;
  readonly port?: number;
  /** Receives one line per message; defaults to stdout. */
  readonly log?: (line: string) => void;
  /** The issuer's clock (card expiry, RRNs); defaults to the system clock. */
  readonly now?: () => Date;
}

export interface RunningHost {
  readonly host: string;
  readonly port: number;
  readonly ledgerPath: string;
  close(): Promise<void>;
}

export async function startHost(options: StartHostOptions): Promise<RunningHost> {
  const config = loadHostConfig(options.configPath ?? BUNDLED_CONFIG_PATH);
  const deck = loadCardDeck(options.deckPath ?? BUNDLED_DECK_PATH);
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const ledger = openLedger(options.dataDir);
  try {
    ledger.seedAccounts(deck.cards);
    const route = createRequestRouter({
      deck,
      ledger,
      verifyPin: createTdesDukptPinVerifier(Buffer.from(config.security.bdk, 'hex')),
      now: options.now ?? (() => new Date()),
    });
    const server = await startHostServer({
      host: options.host ?? config.listen.host,
      port: options.port ?? config.listen.port,
      packager: createPackager(PROFILE_V1),
      route,
      responseDelayMs: config.timing.responseDelayMs,
      maxFrameBytes: config.link.maxFrameBytes,
      log,
    });
    return {
      host: server.host,
      port: server.port,
      ledgerPath: ledger.path,
      async close() {
        await server.close();
        ledger.close();
      },
    };
  } catch (error) {
    ledger.close();
    throw error;
  }
}
