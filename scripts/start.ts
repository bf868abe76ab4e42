/**
 * `npm start`: the station in Electron, with simulated devices and the bundled host. Where the
 * Electron binary cannot be had, it says so in one line and starts the browser target instead,
 * opening Chromium in app mode if one is installed, or else printing the URL. It never runs
 * silently in the wrong shell.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findElectronBinary } from './electron-binary.ts';

const projectDir = resolve(import.meta.dirname, '..');
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function run(command: string, args: readonly string[], onLine?: (line: string) => void): Promise<number> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: projectDir, stdio: ['inherit', onLine ? 'pipe' : 'inherit', 'inherit'] });
    child.stdout?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        console.log(line);
        onLine?.(line);
      }
    });
    child.on('exit', (code) => resolvePromise(code ?? 1));
  });
}

const electron = findElectronBinary();
if (electron.available) {
  process.exit(await run(join(projectDir, 'node_modules', '.bin', 'electron-forge'), ['start']));
}

console.log(`Electron binary not available (${electron.reason}); starting the browser target instead.`);
if ((await run('npm', ['run', 'build:renderer', '--silent'])) !== 0) process.exit(1);
const chromium = CHROMIUM_CANDIDATES.find((path) => existsSync(path));
const code = await run(process.execPath, [join(projectDir, 'main', 'station-server', 'start.ts')], (line) => {
  if (!line.startsWith('STATION_READY ')) return;
  // One link per page (checkout, customer display, simulated devices), each with its own token.
  const { pages } = JSON.parse(line.slice('STATION_READY '.length)) as { pages: Record<string, string> };
  const urls = Object.values(pages);
  if (!chromium) {
    console.log(`No Chromium found: open each page's link above in a browser.`);
    return;
  }
  const profile = mkdtempSync(join(tmpdir(), 'pos-station-chromium-'));
  for (const url of urls) {
    spawn(chromium, [`--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'], {
      stdio: 'ignore',
      detached: true,
    }).unref();
  }
});
process.exit(code);
