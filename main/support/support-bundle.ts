/**
 * A support bundle: what a support engineer needs to see what happened at a counter, in one
 * .tar.gz the merchant can send. It holds the logs (station and bundled host), the config with
 * secrets redacted, versions, the device list and status, the last N sales (summaries: no card
 * data) and the last N card legs (masked PAN only), the store-and-forward backlog, and how far the
 * head office's uploads are behind.
 *
 * It never holds a key or PIN pad key material: the databases are never copied (the
 * journal is read through station-databases.ts), config secrets are redacted, every text passes the
 * card-data net, and before anything is written the bundle is searched for the content of every key
 * file in the data directory; a hit refuses the whole bundle.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import { join, resolve } from 'node:path';
import { scrubCardData } from '../../common/card/scrub-card-data.ts';
import type { DeviceStatus } from '../../common/devices.ts';
import { fileSchemaVersion, databasePath, readJournalExcerpt, STATION_DATABASES } from '../data-files/station-databases.ts';
import { stationHolding } from '../station/data-dir-lock.ts';
import { STATION_LOG_DIR } from '../station/station-log.ts';
import { redactSecrets } from './redact-secrets.ts';
import { readStationStatus } from './station-status.ts';
import { tarGz, type ArchiveEntry } from './tar-gz.ts';

export interface SupportBundleOptions {
  readonly dataDir: string;
  /** The bundled host's config file, when the station runs one. */
  readonly hostConfigPath: string | undefined;
  /** The app's own versions (app version, Electron's), added to Node's and the OS's. */
  readonly versions: Readonly<Record<string, string>>;
  /** How many of the newest sales, and of the newest card legs, to include. */
  readonly lastEntries: number;
  /** The running station's devices, when the bundle is made inside it; else its last saved status. */
  readonly liveDevices?: readonly DeviceStatus[];
  readonly now?: () => Date;
}

export const DEFAULT_BUNDLE_ENTRIES = 50;

const README = `POS Station support bundle

versions.json                 app, Electron/Node, OS; schema version of each database (file and build)
config/station.json           the station's config, key material and secrets redacted
config/host.json              the bundled host's config, keys redacted
status.json                   whether a station runs on this data directory, its devices and acquirer link
journal/last-sales.json       the newest sales: status, totals, each tender's type, state and amount
journal/last-entries.json     the newest card legs (redacted summaries), masked PAN only
journal/store-and-forward.json  messages the station still has to deliver (reversals), without DE2
journal/head-office-outbox.json  events the head office has not acknowledged yet: how many, since when
logs/                         the station's and the bundled host's log files

Never included: keys (keys/, *.key), PIN pad key material, the databases.
`;

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

function redactedJson(path: string): Buffer {
  try {
    return json(redactSecrets(JSON.parse(readFileSync(path, 'utf8'))));
  } catch (error) {
    // Never the raw text: a file that does not parse may still hold a key.
    return json({ unreadable: `${path} is not valid JSON: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}` });
  }
}

/** Every file under `dir` whose name matches, relative to it, with forward slashes. */
function filesUnder(dir: string, matches: (name: string) => boolean, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return filesUnder(join(dir, entry.name), matches, `${prefix}${entry.name}/`);
    return entry.isFile() && matches(entry.name) ? [`${prefix}${entry.name}`] : [];
  });
}

/** The content of every key file in the data directory: none of it may appear in a bundle. */
function keyMaterial(dataDir: string): string[] {
  return filesUnder(dataDir, (name) => /\.(key|pem)$/i.test(name))
    .map((file) => readFileSync(join(dataDir, file), 'utf8').trim())
    .filter((text) => text.length >= 16);
}

function versions(options: SupportBundleOptions): Record<string, unknown> {
  const schemas = Object.fromEntries(
    STATION_DATABASES.map((database) => {
      const path = databasePath(options.dataDir, database);
      return [database.name, { file: existsSync(path) ? fileSchemaVersion(path) : null, build: database.schemaVersion }];
    }),
  );
  return {
    ...options.versions,
    node: process.versions.node,
    ...(process.versions.electron === undefined ? {} : { electron: process.versions.electron, chrome: process.versions.chrome }),
    os: `${platform()} ${release()} ${arch()}`,
    schemaVersions: schemas,
  };
}

function status(options: SupportBundleOptions): Record<string, unknown> {
  const holder = stationHolding(options.dataDir);
  const saved = readStationStatus(options.dataDir);
  return {
    station: holder.held ? { running: true, pid: holder.holderPid ?? null } : { running: false },
    devices: options.liveDevices === undefined ? { as: 'last saved by the station', at: saved?.updatedAt ?? null, list: saved?.devices ?? [] } : { as: 'live', list: options.liveDevices },
    acquirerLink: saved?.link === undefined ? null : { ...saved.link, at: saved.updatedAt },
  };
}

export function supportBundleEntries(options: SupportBundleOptions): ArchiveEntry[] {
  const { dataDir } = options;
  const mtime = (options.now ?? (() => new Date()))();
  const journal = readJournalExcerpt(dataDir, options.lastEntries);
  const logDirs = [
    { from: join(dataDir, STATION_LOG_DIR), to: 'logs' },
    { from: join(dataDir, 'bank', STATION_LOG_DIR), to: 'logs' },
  ];
  const files: { path: string; data: Buffer }[] = [
    { path: 'README.txt', data: Buffer.from(README) },
    { path: 'versions.json', data: json(versions(options)) },
    ...(existsSync(join(dataDir, 'station.json')) ? [{ path: 'config/station.json', data: redactedJson(join(dataDir, 'station.json')) }] : []),
    ...(options.hostConfigPath !== undefined && existsSync(options.hostConfigPath) ? [{ path: 'config/host.json', data: redactedJson(options.hostConfigPath) }] : []),
    { path: 'status.json', data: json(status(options)) },
    { path: 'journal/last-sales.json', data: json('unreadable' in journal ? journal : { schemaVersion: journal.schemaVersion, sales: journal.sales }) },
    { path: 'journal/last-entries.json', data: json('unreadable' in journal ? journal : { schemaVersion: journal.schemaVersion, entries: journal.entries }) },
    { path: 'journal/store-and-forward.json', data: json('unreadable' in journal ? journal : journal.backlog) },
    { path: 'journal/head-office-outbox.json', data: json('unreadable' in journal ? journal : journal.headOfficeBacklog) },
    ...logDirs.flatMap(({ from, to }) => filesUnder(from, (name) => name.endsWith('.log')).map((file) => ({ path: `${to}/${file}`, data: readFileSync(join(from, file)) }))),
  ];
  const secrets = keyMaterial(dataDir);
  return files.map(({ path, data }) => {
    const text = scrubCardData(data.toString('utf8'));
    if (secrets.some((secret) => text.includes(secret))) throw new Error(`the support bundle was not written: ${path} contains key material`);
    return { path, data: Buffer.from(text), mtime };
  });
}

/**
 * Writes the bundle to `out` (a file path, or an existing folder to put pos-support-<time>.tar.gz in)
 * and answers the path written.
 */
export function writeSupportBundle(out: string, options: SupportBundleOptions): string {
  const at = (options.now ?? (() => new Date()))();
  const target = existsSync(out) && statSync(out).isDirectory() ? join(out, `pos-support-${at.toISOString().replace(/[:.]/g, '-')}.tar.gz`) : resolve(out);
  writeFileSync(target, tarGz(supportBundleEntries(options)), { mode: 0o600 });
  return target;
}
