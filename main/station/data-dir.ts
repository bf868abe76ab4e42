/**
 * Where the station keeps its data (config, journal, the bundled host's ledger) outside Electron:
 * POS_DATA_DIR if set, else the platform's per-user data folder. Electron uses app.getPath('userData').
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.POS_DATA_DIR) return env.POS_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'POS Station');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'POS Station');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'pos-station');
}
