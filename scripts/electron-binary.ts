/**
 * Finds the Electron executable without triggering the electron package's lazy download (which
 * cannot succeed on machines without internet): ELECTRON_OVERRIDE_DIST_PATH first, then the binary
 * a normal install left in node_modules/electron/dist.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ELECTRON_PACKAGE = resolve(import.meta.dirname, '..', 'node_modules', 'electron');

const DEFAULT_EXECUTABLE: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'electron',
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
};

export type ElectronBinary = { readonly available: true; readonly path: string } | { readonly available: false; readonly reason: string };

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const pathFile = join(ELECTRON_PACKAGE, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : DEFAULT_EXECUTABLE[process.platform];
  if (!executable) return { available: false, reason: `Electron has no build for ${process.platform}` };
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? join(override, executable) : join(ELECTRON_PACKAGE, 'dist', executable);
  if (existsSync(candidate)) return { available: true, path: candidate };
  return {
    available: false,
    reason: override
      ? `ELECTRON_OVERRIDE_DIST_PATH is set but ${candidate} does not exist`
      : `it was never downloaded to ${join(ELECTRON_PACKAGE, 'dist')} (Electron fetches it on first use, and this machine cannot reach its download host); set ELECTRON_OVERRIDE_DIST_PATH to a local Electron 45 build`,
  };
}
