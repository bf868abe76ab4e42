/**
 * Starts the acquirer/issuer host simulator in this process: loads config and deck, opens the
 * ledger, seeds accounts, opens its PKI (making its CA and server certificate at the first start,
 * enrolling the bundled station when asked) and listens, over mutual TLS unless told plain. The CLI
 * (bank-host.ts) and tests both start it through here.
 */
import { dirname, join, resolve } from 'node:path';
import { acquireLock } from '../common-node/exclusive-lock.ts';
import { openRotatingLog } from '../common-node/rotating-log.ts';
import { createPackager } from '../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../payments/iso8583/profile.ts';
import { loadHostConfig } from './config/host-config.ts';
import { loadCardDeck } from './deck/card-deck.ts';
import { openIssuerControls } from './issuer/card-checks/issuer-controls.ts';
import { createDukptPinVerifier } from './issuer/pin-verifier.ts';
import { openLedger, type Ledger } from './ledger/ledger.ts';
import { LEDGER_LOCK_FILE, LEDGER_LOCK_WAIT_MS } from './ledger/ledger-lock.ts';
import { ensureStationEnrolled } from './pki/enrolment.ts';
import { openHostPki } from './pki/host-pki.ts';
import { loadCardHashKey } from './risk/card-hash-key.ts';
import type { CommitStats } from './ledger/unit-of-work.ts';
import { createRiskEvents } from './risk/risk-events.ts';
import { loadRiskRules } from './risk/risk-rules.ts';
import { startHostServer, type HostTlsCredentials } from './server/host-server.ts';
import { createRequestRouter } from './server/request-router.ts';
import { createTerminalSessions, SESSION_STALE_AFTER_MS } from './server/terminal-sessions.ts';
import { startWalletPlatform, type RunningWalletPlatform } from './wallet/start-wallet-platform.ts';

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
  /**
   * The wallet platform's port (config `wallet`); 0 picks a free one. Left out: the config's when
   * `port` is left out too, else a free one, so a host started on a port of the caller's choosing
   * (tests, the station's supervisor restarting it) never collides on the config's wallet port.
   */
  readonly walletPort?: number;
  /** Receives one line per message; defaults to stdout. */
  readonly log?: (line: string) => void;
  /** Also write every line to <logDir>/host.log (rotating, per the config's logging block). */
  readonly logDir?: string;
  /** The host's clock (card expiry, RRNs, the duplicate window); defaults to the system clock. */
  readonly now?: () => Date;
  /**
   * 'tls' (the default): TLS 1.3 with mutual authentication under the host's own CA. 'plain': TCP
   * without TLS, for a station configured with `acquirer.transport: "plain"` (and tests of the
   * ISO 8583 layer that speak it directly).
   */
  readonly transport?: 'tls' | 'plain';
  /** Under TLS: enrol this station before listening (the bundled host enrols the station that started it). */
  readonly enrolStation?: { readonly terminalId: string; readonly dir: string };
}

export interface RunningHost {
  readonly host: string;
  readonly port: number;
  readonly ledgerPath: string;
  /** Where the wallet platform listens; absent when the config has no `wallet` section. */
  readonly wallet?: { readonly host: string; readonly port: number };
  readonly transport: 'tls' | 'plain';
  /** Under TLS, the SHA-256 fingerprint of the host's CA certificate (what stations pin). */
  readonly caFingerprint: string | undefined;
  /** The ledger's units, commits and fsyncs so far (bank/parent-link.ts answers a parent's 'stats'). */
  commitStats(): CommitStats;
  close(): Promise<void>;
}

/** Opens the PKI and enrols the bundled station; undefined for plain TCP. */
async function tlsCredentials(options: StartHostOptions, listenHost: string, configuredNames: readonly string[], now: Date, log: (line: string) => void) {
  if ((options.transport ?? 'tls') === 'plain') return undefined;
  const wildcard = listenHost === '0.0.0.0' || listenHost === '::';
  const serverNames = [...new Set([...configuredNames, ...(wildcard ? [] : [listenHost])])];
  const pki = await openHostPki(options.dataDir, { serverNames, now, log });
  if (options.enrolStation !== undefined) await ensureStationEnrolled(pki.ca, { ...options.enrolStation, now, log });
  const credentials: HostTlsCredentials = { privateKeyPem: pki.server.privateKeyPem, certificatePem: pki.server.certificatePem, clientCaPem: pki.ca.certificatePem };
  return { credentials, caFingerprint: pki.caFingerprint };
}

export async function startHost(options: StartHostOptions): Promise<RunningHost> {
  const configPath = options.configPath ?? BUNDLED_CONFIG_PATH;
  const config = loadHostConfig(configPath);
  const deck = loadCardDeck(options.deckPath ?? BUNDLED_DECK_PATH);
  const print = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const file = options.logDir === undefined ? undefined : openRotatingLog({ dir: options.logDir, name: 'host', source: 'host', ...config.logging });
  const log = (line: string) => {
    print(line);
    file?.write('info', line);
  };
  const lockPath = join(options.dataDir, LEDGER_LOCK_FILE);
  const lock = await acquireLock(lockPath, {
    waitMs: LEDGER_LOCK_WAIT_MS,
    onWait: (pid) => log(`waiting for the host holding ${lockPath} (PID ${pid ?? 'unknown'}) to exit`),
  });
  if (!lock.acquired) {
    file?.close();
    throw new Error(`the ledger in ${options.dataDir} is in use by another host (PID ${lock.holderPid ?? 'unknown'})`);
  }
  const listenHost = options.host ?? config.listen.host;
  let tls: Awaited<ReturnType<typeof tlsCredentials>>;
  let ledger: Ledger;
  try {
    // Certificates are made (or renewed) on the wall clock, whatever clock a test gives the issuer.
    tls = await tlsCredentials(options, listenHost, config.link.serverNames, new Date(), log);
    // Group commit: the server holds every answer until the ledger work behind it is durable. A
    // failed fsync leaves the disk's state unknown: the host ends (the thrown error), and whoever
    // supervises it restarts it on what is truly on disk; the answers it held are never given.
    ledger = openLedger(options.dataDir, {
      groupCommit: true,
      onDurabilityLost(error) {
        log(`${new Date().toISOString()} ${error.message}; the host stops`);
        throw error;
      },
    });
  } catch (error) {
    lock.lock.release();
    file?.close();
    throw error;
  }
  let wallet: RunningWalletPlatform | undefined;
  try {
    ledger.seedAccounts(deck.cards);
    const now = options.now ?? (() => new Date());
    // CVKs, PIN try counter, amount limits and the risk monitor, in the ledger's database.
    const controls = openIssuerControls({ config, configPath, cardHashKey: loadCardHashKey(options.dataDir), deck, connection: ledger, now, log });
    const route = createRequestRouter(
      {
        deck,
        ledger,
        verifyPin: createDukptPinVerifier({ tdes: Buffer.from(config.security.bdk, 'hex'), aes: Buffer.from(config.security.aesBdk, 'hex') }),
        ...controls,
        now,
      },
      { duplicateWindowMs: config.duplicates.windowMs },
    );
    const riskEvents = createRiskEvents(ledger);
    const terminalSessions = createTerminalSessions({
      now: () => now().getTime(),
      staleAfterMs: SESSION_STALE_AFTER_MS,
      log,
      onConflict: ({ terminalId, signedOnFrom, refusedFrom }) => {
        const detail = `sign-on from ${refusedFrom} refused: already signed on from ${signedOnFrom}`;
        log(`${now().toISOString()} risk event: terminal ${terminalId.trimEnd()} ${detail}`);
        riskEvents.append({ at: now().toISOString(), kind: 'terminal-already-signed-on', tid: terminalId, detail });
      },
    });
    const server = await startHostServer({
      host: listenHost,
      port: options.port ?? config.listen.port,
      packager: createPackager(PROFILE_FIELDS),
      route,
      afterCommit: (listener) => ledger.afterCommit(listener),
      responseDelayMs: config.timing.responseDelayMs,
      maxFrameBytes: config.link.maxFrameBytes,
      log,
      terminalSessions,
      ...(tls === undefined ? {} : { tls: tls.credentials }),
    });
    if (config.wallet !== undefined) {
      wallet = await startWalletPlatform({
        section: config.wallet,
        hostConfigPath: configPath,
        ledger,
        risk: controls.risk,
        riskRuleIds: loadRiskRules(resolve(dirname(configPath), config.risk.rulesFile)).rules.map((rule) => rule.id),
        ...(options.host === undefined ? {} : { host: options.host }),
        port: options.walletPort ?? (options.port === undefined ? config.wallet.listen.port : 0),
        now,
        log,
      }).catch(async (error: unknown) => {
        await server.close();
        throw error;
      });
    }
    const running = wallet;
    return {
      host: server.host,
      port: server.port,
      ledgerPath: ledger.path,
      ...(running === undefined ? {} : { wallet: { host: running.host, port: running.port } }),
      transport: server.transport,
      caFingerprint: tls?.caFingerprint,
      commitStats: () => ledger.commitStats(),
      async close() {
        await running?.close();
        await server.close();
        ledger.close();
        lock.lock.release();
        file?.close();
      },
    };
  } catch (error) {
    ledger.close();
    lock.lock.release();
    file?.close();
    throw error;
  }
}
