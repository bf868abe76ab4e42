/**
 * Start-up shared by both shells: lock the data directory (one station per directory), read the
 * config, open the station's log file, bring up the acquirer host (the bundled one, supervised, or
 * the configured remote one), then the station and the table of its pages. The shell supplies how
 * to start one run of the bundled host, because only it knows whether that is a utilityProcess or a
 * child process; restarting it when it exits is the same for both.
 */
import { join, resolve } from 'node:path';
import { stationTlsDir } from '../acquirer/link-security.ts';
import { scheduleDailyBackups } from '../backup/backup-schedule.ts';
import { loadStationConfig, type StationConfig } from '../config/station-config.ts';
import type { BundledHostLink } from '../host/bundled-host-link.ts';
import type { HostLauncher } from '../host/host-process-messages.ts';
import { superviseHost, type SupervisedHost } from '../host/host-supervisor.ts';
import type { KioskShell } from '../operators/kiosk-exit.ts';
import { recordStationStatus } from '../support/station-status.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { openStationLog } from './station-log.ts';
import { stationPages, type StationPage } from './station-pages.ts';
import { createStation, type Station } from './station.ts';

export interface BootOptions {
  readonly dataDir: string;
  readonly deckPath: string;
  readonly seedCatalogPath: string;
  readonly shell: 'electron' | 'browser';
  readonly startBundledHost: HostLauncher;
  readonly log: (line: string) => void;
  /** The shell's kiosk mode, if it has one (main/operators/kiosk-exit.ts). */
  readonly kiosk?: KioskShell;
}

export interface BootedStation {
  readonly station: Station;
  /** The pages this station serves and the contract of each (station-pages.ts). */
  readonly pages: readonly StationPage[];
  /** station.json as this station read it at start. */
  readonly config: StationConfig;
  readonly host: SupervisedHost | undefined;
  stop(): Promise<void>;
}

export async function bootStation(options: BootOptions): Promise<BootedStation> {
  const lock = lockDataDir(options.dataDir);
  try {
    return await bootLocked(options, () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function bootLocked(options: BootOptions, unlock: () => void): Promise<BootedStation> {
  const config = loadStationConfig(join(options.dataDir, 'station.json'));
  const stationLog = openStationLog(options.dataDir, config.logging, options.log);
  const log = stationLog.line;
  // Under TLS the bundled host enrols this station (its terminal ID, its credentials folder) at every start.
  const link: BundledHostLink =
    config.acquirer.transport === 'plain' ? { transport: 'plain' } : { transport: 'tls', terminalId: config.merchant.terminalId, stationTlsDir: stationTlsDir(options.dataDir) };
  let host: SupervisedHost | undefined;
  let station: Station;
  try {
    host =
      config.acquirer.mode === 'bundled'
        ? await superviseHost({ start: (port) => options.startBundledHost({ dataDir: join(options.dataDir, 'bank'), port, link }), port: config.acquirer.port, log })
        : undefined;
    const acquirer = host ? { host: host.host, port: host.port, bundled: true } : { host: config.acquirer.host, port: config.acquirer.port, bundled: false };
    log(`acquirer host: ${acquirer.host}:${acquirer.port}${host ? ' (bundled)' : ''}`);
    const supervised = host;
    station = await createStation({
      config,
      dataDir: options.dataDir,
      deckPath: options.deckPath,
      seedCatalogPath: options.seedCatalogPath,
      shell: options.shell,
      acquirer,
      // Read at each use: a restarted bundled host's wallet platform listens on another port.
      walletEndpoint: () => supervised?.wallet,
      log,
      ...(options.kiosk ? { kiosk: options.kiosk } : {}),
    });
  } catch (error) {
    stationLog.fileOnly('error', `the station could not start: ${error instanceof Error ? error.message : String(error)}`);
    await host?.stop();
    stationLog.close();
    throw error;
  }
  const started = station;
  const stopWatchingHost = host?.onRestarted((address) => started.reconnectAcquirer(address));
  // The devices and the link as they change, for a support bundle made while the station runs.
  const stopStatus = recordStationStatus(options.dataDir, station.checkout.events, log);
  const runningHost = host;
  const { backup } = config;
  const backups =
    backup.folder === null
      ? undefined
      : scheduleDailyBackups({ dataDir: options.dataDir, folder: resolve(options.dataDir, backup.folder), keep: backup.keep, dailyAt: backup.dailyAt, log: stationLog.at });
  return {
    station,
    pages: stationPages(station, config),
    config,
    host,
    async stop() {
      stopWatchingHost?.();
      await backups?.stop();
      stopStatus();
      await started.stop();
      await runningHost?.stop();
      log('station stopped');
      stationLog.close();
      unlock();
    },
  };
}
