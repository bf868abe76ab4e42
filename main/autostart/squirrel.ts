/**
 * Windows: the Squirrel installer's side of the app. Squirrel starts the freshly installed app with
 * --squirrel-install (…-updated, -uninstall, -obsolete) and expects it to make or remove its
 * shortcuts through Update.exe and exit at once, never to start the station during an install
 * (what electron-squirrel-startup does, with the Startup shortcut of the autostart setting added).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export type SquirrelEvent = 'install' | 'updated' | 'uninstall' | 'obsolete';

const EVENTS: Readonly<Record<string, SquirrelEvent>> = {
  '--squirrel-install': 'install',
  '--squirrel-updated': 'updated',
  '--squirrel-uninstall': 'uninstall',
  '--squirrel-obsolete': 'obsolete',
};

/** The install event the app was started for, if any (Windows only; Squirrel passes it first). */
export function squirrelEventOf(argv: readonly string[], platform: NodeJS.Platform): SquirrelEvent | undefined {
  return platform === 'win32' ? EVENTS[argv[1] ?? ''] : undefined;
}

/** Update.exe's argument lists for an event: shortcuts on the desktop and the Start menu, and in Startup when autostart is on. */
export function squirrelCommands(event: SquirrelEvent, options: { readonly executable: string; readonly autostart: boolean }): string[][] {
  const exe = basename(options.executable.replace(/\\/g, '/'));
  switch (event) {
    case 'install':
    case 'updated':
      return [
        [`--createShortcut=${exe}`, `--shortcut-locations=Desktop,StartMenu${options.autostart ? ',Startup' : ''}`],
        ...(options.autostart ? [] : [[`--removeShortcut=${exe}`, '--shortcut-locations=Startup']]),
      ];
    case 'uninstall':
      return [[`--removeShortcut=${exe}`, '--shortcut-locations=Desktop,StartMenu,Startup']];
    case 'obsolete':
      return [];
  }
}

/** Runs Squirrel's Update.exe (one folder above the app's own) and waits for it. */
export function runUpdateExe(executable: string, args: readonly string[]): Promise<void> {
  const updateExe = resolve(dirname(executable), '..', 'Update.exe');
  if (!existsSync(updateExe)) return Promise.reject(new Error(`${join('..', 'Update.exe')} not found next to ${executable}: the app was not installed by its Squirrel installer`));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(updateExe, [...args], { detached: true, stdio: 'ignore', windowsHide: true });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`Update.exe ${args.join(' ')} exited with ${code}`))));
  });
}
