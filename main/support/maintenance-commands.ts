/**
 * The counter PC's maintenance commands, one implementation for both ways in: `npm run
 * support-bundle | backup | restore -- …` from a source checkout (scripts/), and the installed app's
 * own command line, `pos-station support-bundle | backup | restore …` (main/electron/main.ts), which
 * runs the command and exits without opening a window. A merchant's PC has the app, not the sources.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { restoreBackup } from '../backup/restore.ts';
import { takeBackup } from '../backup/backup.ts';
import { DEFAULT_STATION_CONFIG, loadStationConfig } from '../config/station-config.ts';
import { DEFAULT_BUNDLE_ENTRIES, writeSupportBundle } from './support-bundle.ts';

export const MAINTENANCE_COMMANDS = ['support-bundle', 'backup', 'restore'] as const;
export type MaintenanceCommand = (typeof MAINTENANCE_COMMANDS)[number];

export interface MaintenanceContext {
  /** The data directory, unless --data names another. */
  readonly dataDir: string;
  readonly hostConfigPath: string | undefined;
  readonly appVersion: string;
  /** How the command is typed here, for usage lines: "npm run support-bundle --" or "pos-station support-bundle". */
  readonly invocation: (command: MaintenanceCommand) => string;
  readonly print: (line: string) => void;
  readonly printError: (line: string) => void;
}

const USAGE: Readonly<Record<MaintenanceCommand, (context: MaintenanceContext) => string>> = {
  'support-bundle': (context) => `usage: ${context.invocation('support-bundle')} OUT [--data DIR] [--entries N]
  OUT        the archive to write (.tar.gz), or an existing folder to write pos-support-<time>.tar.gz in
  --data     the station's data directory (default: ${context.dataDir})
  --entries  how many of the newest sales, and of the newest card legs, to include (default ${DEFAULT_BUNDLE_ENTRIES})`,
  backup: (context) => `usage: ${context.invocation('backup')} [--to FOLDER] [--data DIR] [--keep N]
  --to    the folder to write the backup in (default: station.json backup.folder)
  --data  the station's data directory (default: ${context.dataDir})
  --keep  backups to keep in the folder, this one included (default: station.json backup.keep)`,
  restore: (context) => `usage: ${context.invocation('restore')} BACKUP [--data DIR]
  BACKUP  a pos-backup-<time> folder
  --data  the data directory to restore into (default: ${context.dataDir})`,
};

class UsageError extends Error {}

function parse(command: MaintenanceCommand, args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        data: { type: 'string' },
        entries: { type: 'string' },
        to: { type: 'string' },
        keep: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
}

function wholeNumber(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${name} must be a whole number from 1, got ${text}`);
  return value;
}

async function run(command: MaintenanceCommand, args: readonly string[], context: MaintenanceContext): Promise<void> {
  const { values, positionals } = parse(command, args);
  if (values.help) {
    context.print(USAGE[command](context));
    return;
  }
  const dataDir = values.data === undefined ? context.dataDir : resolve(values.data);
  switch (command) {
    case 'support-bundle': {
      if (positionals.length !== 1) throw new UsageError('support-bundle needs OUT');
      const written = writeSupportBundle(positionals[0]!, {
        dataDir,
        hostConfigPath: context.hostConfigPath,
        versions: { app: context.appVersion },
        lastEntries: wholeNumber(values.entries, DEFAULT_BUNDLE_ENTRIES, 'entries'),
      });
      context.print(`support bundle written: ${written}`);
      return;
    }
    case 'backup': {
      if (positionals.length !== 0) throw new UsageError('backup takes no positional arguments');
      // Read, never created: a backup command must not leave a config behind in a directory without one.
      const configPath = join(dataDir, 'station.json');
      const { backup } = existsSync(configPath) ? loadStationConfig(configPath) : DEFAULT_STATION_CONFIG;
      const folder = values.to === undefined ? (backup.folder === null ? undefined : resolve(dataDir, backup.folder)) : resolve(values.to);
      if (folder === undefined) throw new Error('no folder: pass --to FOLDER, or set backup.folder in station.json');
      const result = await takeBackup({ dataDir, folder, keep: wholeNumber(values.keep, backup.keep, 'keep') });
      context.print(`backup written: ${result.path}`);
      for (const database of result.manifest.databases) context.print(`  ${database.path}: ${database.bytes} bytes, schema version ${database.schemaVersion}`);
      for (const old of result.deleted) context.print(`  deleted older backup ${old}`);
      return;
    }
    case 'restore': {
      if (positionals.length !== 1) throw new UsageError('restore needs BACKUP');
      const result = restoreBackup({ backup: resolve(positionals[0]!), dataDir });
      context.print(`restored ${result.restored.join(', ')} from the backup of ${result.manifest.createdAt} into ${dataDir}`);
      if (result.replacedDir !== undefined) context.print(`  the files it replaced are in ${result.replacedDir}`);
      return;
    }
  }
}

const FAILED: Readonly<Record<MaintenanceCommand, string>> = { 'support-bundle': 'no support bundle', backup: 'no backup', restore: 'not restored' };

/** Runs one command; answers the process exit status: 0 done, 1 failed, 2 used wrongly. */
export async function runMaintenanceCommand(command: MaintenanceCommand, args: readonly string[], context: MaintenanceContext): Promise<number> {
  try {
    await run(command, args, context);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      context.printError(`${error.message}\n${USAGE[command](context)}`);
      return 2;
    }
    context.printError(`${FAILED[command]}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** The maintenance command at the head of an app's arguments, if any. */
export function maintenanceCommandOf(args: readonly string[]): MaintenanceCommand | undefined {
  return MAINTENANCE_COMMANDS.find((command) => command === args[0]);
}
