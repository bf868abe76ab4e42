/**
 * Starts the acquirer/issuer host simulator in this process: loads config and deck, opens the
 * ledger, seeds accounts and listens. The CLI (bank-host.ts) and tests both start it through here.
 */
import { join } from 'node:path';
import { createPackager } from '../payments/iso8583/packager.ts';
import { PROFILE_V1 } from '../payments/iso8583/profile-v1.ts';
import { loadHostConfig } from './config/host-config.ts';
import { loadCardDeck } from './deck/card-deck.ts';
import { openIssuerControls } from './issuer/card-checks/issuer-controls.ts';
import { createDukptPinVerifier } from './issuer/pin-verifier.ts';
import { openLedger } from './ledger/ledger.ts';
import { startHostServer } from './server/host-server.ts';
import { createRequestRouter } from './server/request-router.ts';

// The deck and config next to this file, when it runs from source. Built with join, not
// new URL(…, import.meta.url): Vite would inline that as an asset, and the CommonJS bundle the
// Electron app runs has no import.meta at all (the shell always passes --deck and --config).
const HERE = import.meta.dirname ?? process.cwd();
export const BUNDLED_DECK_PATH = join(HERE, 'deck', 'test-cards.json');
export const BUNDLED_CONFIG_PATH = join(HERE, 'config', 'host.json');

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
  /** The host's clock (card expiry, RRNs, the duplicate window); defaults to the system clock. */
  readonly now?: () => Date;
}

export interface RunningHost {
  readonly host: string;
  readonly port: number;
  readonly ledgerPath: string;
  close(): Promise<void>;
}

export async function startHost(options: StartHostOptions): Promise<RunningHost> {
  const configPath = options.configPath ?? BUNDLED_CONFIG_PATH;
  const config = loadHostConfig(configPath);
  const deck = loadCardDeck(options.deckPath ?? BUNDLED_DECK_PATH);
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  // Group commit: the server holds every answer until the ledger work behind it is committed.
  const ledger = openLedger(options.dataDir, { groupCommit: true });
  try {
    ledger.seedAccounts(deck.cards);
    const now = options.now ?? (() => new Date());
    const route = createRequestRouter(
      {
        deck,
        ledger,
        verifyPin: createDukptPinVerifier({ tdes: Buffer.from(config.security.bdk, 'hex'), aes: Buffer.from(config.security.aesBdk, 'hex') }),
        // CVKs, PIN try counter, amount limits and the risk monitor, in the ledger's database.
        ...openIssuerControls({ config, configPath, deck, connection: ledger, now, log }),
        now,
      },
      { duplicateWindowMs: config.duplicates.windowMs },
    );
    const server = await startHostServer({
      host: options.host ?? config.listen.host,
      port: options.port ?? config.listen.port,
      packager: createPackager(PROFILE_V1),
      route,
      afterCommit: (listener) => ledger.afterCommit(listener),
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
