/** Autostart brought in line with station.json, in a temporary home directory; Squirrel's side as argument lists. */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { applyAutostart, linuxAutostartPaths, MARKER, type AutostartEnvironment } from './autostart.ts';
import { squirrelCommands, squirrelEventOf } from './squirrel.ts';

const EXE = '/usr/lib/pos-station/pos-station';

function linux(): AutostartEnvironment & { paths: ReturnType<typeof linuxAutostartPaths> } {
  const home = mkdtempSync(join(tmpdir(), 'autostart-home-'));
  return { platform: 'linux', home, env: {}, executable: EXE, runUpdateExe: vi.fn(), paths: linuxAutostartPaths(home, {}) };
}

describe('autostart on Linux', () => {
  it('writes an XDG autostart entry that starts the installed app', async () => {
    const environment = linux();
    expect(await applyAutostart({ enabled: true, linux: 'xdg' }, environment)).toBe(`autostart: on (XDG autostart entry ${environment.paths.desktopEntry})`);
    const entry = readFileSync(environment.paths.desktopEntry, 'utf8');
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=POS Station\nExec=/usr/lib/pos-station/pos-station\n');
    expect(existsSync(environment.paths.unit)).toBe(false);
  });

  it('writes a systemd user unit that restarts the app if it dies, enabled for the graphical session', async () => {
    const environment = linux();
    await applyAutostart({ enabled: true, linux: 'systemd' }, environment);
    const unit = readFileSync(environment.paths.unit, 'utf8');
    expect(unit).toMatch(/\[Service\]\nExecStart=\/usr\/lib\/pos-station\/pos-station\nRestart=on-failure\n/);
    expect(unit).toMatch(/\[Install\]\nWantedBy=graphical-session.target\n/);
    expect(lstatSync(environment.paths.wants).isSymbolicLink()).toBe(true);
    expect(readlinkSync(environment.paths.wants)).toBe(environment.paths.unit);
  });

  it('switches from one to the other, and removes both when turned off', async () => {
    const environment = linux();
    await applyAutostart({ enabled: true, linux: 'xdg' }, environment);
    await applyAutostart({ enabled: true, linux: 'systemd' }, environment);
    expect(existsSync(environment.paths.desktopEntry)).toBe(false);
    expect(existsSync(environment.paths.unit)).toBe(true);
    expect(await applyAutostart({ enabled: false, linux: 'systemd' }, environment)).toBe('autostart: off');
    // lstat, not exists: a symlink left dangling would not "exist" and still be there.
    const present = (path: string) => {
      try {
        lstatSync(path);
        return true;
      } catch {
        return false;
      }
    };
    expect([environment.paths.desktopEntry, environment.paths.unit, environment.paths.wants].filter(present)).toEqual([]);
  });

  it('never removes an entry it did not write', async () => {
    const environment = linux();
    mkdirSync(join(environment.paths.desktopEntry, '..'), { recursive: true });
    writeFileSync(environment.paths.desktopEntry, '[Desktop Entry]\nExec=/usr/local/bin/my-own-till\n');
    await applyAutostart({ enabled: false, linux: 'xdg' }, environment);
    expect(readFileSync(environment.paths.desktopEntry, 'utf8')).toContain('my-own-till');
  });

  it('quotes an executable path with spaces, and follows XDG_CONFIG_HOME', async () => {
    const environment = { ...linux(), executable: '/opt/POS Station/pos-station', env: { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'xdg-')) } };
    await applyAutostart({ enabled: true, linux: 'xdg' }, environment);
    const entry = readFileSync(linuxAutostartPaths(environment.home, environment.env).desktopEntry, 'utf8');
    expect(entry.startsWith(MARKER)).toBe(true);
    expect(entry).toContain('Exec="/opt/POS Station/pos-station"\n');
  });
});

describe('autostart on Windows (Squirrel)', () => {
  it('makes or removes the Startup shortcut through Update.exe at each start', async () => {
    const runUpdateExe = vi.fn(async () => undefined);
    const environment: AutostartEnvironment = { platform: 'win32', home: 'C:\\Users\\cashier', env: {}, executable: 'C:\\Users\\cashier\\AppData\\Local\\pos_station\\app-0.1.0\\pos-station.exe', runUpdateExe };
    expect(await applyAutostart({ enabled: true, linux: 'xdg' }, environment)).toBe('autostart: on (Startup shortcut)');
    await applyAutostart({ enabled: false, linux: 'xdg' }, environment);
    expect(runUpdateExe.mock.calls).toEqual([[['--createShortcut=pos-station.exe', '--shortcut-locations=Startup']], [['--removeShortcut=pos-station.exe', '--shortcut-locations=Startup']]]);
  });

  it('recognises the installer events on Windows only, and answers each with shortcuts and nothing else', () => {
    expect(squirrelEventOf(['pos-station.exe', '--squirrel-install', '0.1.0'], 'win32')).toBe('install');
    expect(squirrelEventOf(['pos-station.exe', '--squirrel-install'], 'linux')).toBeUndefined();
    expect(squirrelEventOf(['pos-station.exe', '--kiosk'], 'win32')).toBeUndefined();
    const exe = 'C:\\app\\pos-station.exe';
    expect(squirrelCommands('install', { executable: exe, autostart: true })).toEqual([['--createShortcut=pos-station.exe', '--shortcut-locations=Desktop,StartMenu,Startup']]);
    expect(squirrelCommands('updated', { executable: exe, autostart: false })).toEqual([
      ['--createShortcut=pos-station.exe', '--shortcut-locations=Desktop,StartMenu'],
      ['--removeShortcut=pos-station.exe', '--shortcut-locations=Startup'],
    ]);
    expect(squirrelCommands('uninstall', { executable: exe, autostart: true })).toEqual([['--removeShortcut=pos-station.exe', '--shortcut-locations=Desktop,StartMenu,Startup']]);
    expect(squirrelCommands('obsolete', { executable: exe, autostart: true })).toEqual([]);
  });

  it('says macOS is not supported rather than pretend', async () => {
    expect(await applyAutostart({ enabled: true, linux: 'xdg' }, { platform: 'darwin', home: '/Users/x', env: {}, executable: '/Applications/POS Station.app', runUpdateExe: vi.fn() })).toMatch(/not supported on darwin/);
  });
});
