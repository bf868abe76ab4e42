/**
 * Starting the installed app when the cashier logs in, as station.json's `autostart` block says.
 * The app brings the system in line with the setting at every start (it is the setting's only
 * reader), so turning it off in station.json removes what turning it on made:
 *
 *   Linux, "xdg"      ~/.config/autostart/pos-station.desktop (XDG Autostart: every desktop)
 *   Linux, "systemd"  ~/.config/systemd/user/pos-station.service, wanted by graphical-session.target,
 *                     Restart=on-failure: a crash restarts the app, a kiosk exit (status 0) does not
 *   Windows           a Startup shortcut, made and removed by Squirrel's Update.exe (squirrel.ts);
 *                     the installer's own events make it too (squirrel-events.ts)
 *   macOS             not supported (no installer for it here); says so
 *
 * Files are written only where they differ, and removed only when they are ours (they carry the
 * MARKER line), so an administrator's own entry of the same name is never touched.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AutostartConfig } from '../config/counter-pc-config.ts';
import { loadStationConfig } from '../config/station-config.ts';

export const MARKER = '# Written by POS Station from station.json (autostart); set autostart.enabled to false to remove it.';
const NAME = 'pos-station';

export interface AutostartEnvironment {
  readonly platform: NodeJS.Platform;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  /** The installed app's executable. */
  readonly executable: string;
  /** Windows: runs Squirrel's Update.exe with these arguments. */
  readonly runUpdateExe: (args: readonly string[]) => Promise<void>;
}

/** Where the Linux entries live, after the XDG base directory spec. */
export function linuxAutostartPaths(home: string, env: NodeJS.ProcessEnv) {
  const config = env.XDG_CONFIG_HOME || join(home, '.config');
  return {
    desktopEntry: join(config, 'autostart', `${NAME}.desktop`),
    unit: join(config, 'systemd', 'user', `${NAME}.service`),
    wants: join(config, 'systemd', 'user', 'graphical-session.target.wants', `${NAME}.service`),
  };
}

/** A path as an Exec= / ExecStart= argument: quoted, with the characters both specs reserve escaped. */
function execArgument(path: string): string {
  return /^[\w/.+-]+$/.test(path) ? path : `"${path.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function desktopEntry(executable: string): string {
  return [MARKER, '[Desktop Entry]', 'Type=Application', 'Name=POS Station', `Exec=${execArgument(executable)}`, 'X-GNOME-Autostart-enabled=true', ''].join('\n');
}

export function systemdUnit(executable: string): string {
  return [
    MARKER,
    '[Unit]',
    'Description=POS Station',
    'PartOf=graphical-session.target',
    'After=graphical-session.target',
    '',
    '[Service]',
    `ExecStart=${execArgument(executable)}`,
    'Restart=on-failure',
    'RestartSec=5',
    '',
    '[Install]',
    'WantedBy=graphical-session.target',
    '',
  ].join('\n');
}

const ours = (path: string) => existsSync(path) && readFileSync(path, 'utf8').startsWith(MARKER);

function writeIfChanged(path: string, content: string): void {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content, { mode: 0o644 });
}

function removeIfOurs(path: string): void {
  if (ours(path)) rmSync(path);
}

function linkExists(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function applyLinux(config: AutostartConfig, environment: AutostartEnvironment): string {
  const paths = linuxAutostartPaths(environment.home, environment.env);
  const wantXdg = config.enabled && config.linux === 'xdg';
  const wantUnit = config.enabled && config.linux === 'systemd';
  if (wantXdg) writeIfChanged(paths.desktopEntry, desktopEntry(environment.executable));
  else removeIfOurs(paths.desktopEntry);
  if (wantUnit) {
    writeIfChanged(paths.unit, systemdUnit(environment.executable));
    // What `systemctl --user enable` does, without needing a user session bus to do it.
    if (!linkExists(paths.wants) || readlinkSync(paths.wants) !== paths.unit) {
      mkdirSync(dirname(paths.wants), { recursive: true });
      rmSync(paths.wants, { force: true });
      symlinkSync(paths.unit, paths.wants);
    }
  } else {
    if (linkExists(paths.wants) && readlinkSync(paths.wants) === paths.unit && ours(paths.unit)) rmSync(paths.wants);
    removeIfOurs(paths.unit);
  }
  if (wantXdg) return `autostart: on (XDG autostart entry ${paths.desktopEntry})`;
  if (wantUnit) return `autostart: on (systemd user unit ${paths.unit}, restarted if it dies; takes effect at the next login)`;
  return 'autostart: off';
}

/** Brings the system in line with the setting; answers one line for the log. */
export async function applyAutostart(config: AutostartConfig, environment: AutostartEnvironment): Promise<string> {
  if (environment.platform === 'linux') return applyLinux(config, environment);
  if (environment.platform === 'win32') {
    const exe = environment.executable.split(/[\\/]/).at(-1)!;
    await environment.runUpdateExe([config.enabled ? `--createShortcut=${exe}` : `--removeShortcut=${exe}`, '--shortcut-locations=Startup']);
    return `autostart: ${config.enabled ? 'on (Startup shortcut)' : 'off'}`;
  }
  return config.enabled ? `autostart: not supported on ${environment.platform}; add the app to the login items by hand` : 'autostart: off';
}

/**
 * The autostart setting in a data directory's station.json, read without creating or changing
 * anything (the Windows installer asks before the station ever ran): off when there is no valid file.
 */
export function savedAutostartSetting(dataDir: string): boolean {
  const path = join(dataDir, 'station.json');
  if (!existsSync(path)) return false;
  try {
    return loadStationConfig(path).autostart.enabled;
  } catch {
    return false;
  }
}
