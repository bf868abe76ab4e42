/**
 * Boots the whole station for the browser target: the bundled host as a supervised child process,
 * the station services, and the HTTP/WebSocket server in front of the built renderer, serving the
 * pages of the station's table (main/station/station-pages.ts), each with its own token.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startChildProcessHost } from '../host/child-process-host.ts';
import type { SupervisedHost } from '../host/host-supervisor.ts';
import { bootStation } from '../station/boot.ts';
import { startStationServer, type RunningStationServer } from './station-server.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const RENDERER_DIR = join(REPO_ROOT, '.vite', 'renderer', 'main_window');

export interface BrowserStationOptions {
  readonly dataDir: string;
  readonly port?: number;
  readonly log: (line: string) => void;
}

export interface BrowserStation {
  readonly server: RunningStationServer;
  /** The bundled host, when the station runs one. */
  readonly host: SupervisedHost | undefined;
  stop(): Promise<void>;
}

export async function launchBrowserStation(options: BrowserStationOptions): Promise<BrowserStation> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`the renderer is not built (${RENDERER_DIR} has no index.html): run "npm run build:renderer" first`);
  }
  const booted = await bootStation({
    dataDir: options.dataDir,
    deckPath: join(REPO_ROOT, 'bank', 'deck', 'test-cards.json'),
    seedCatalogPath: join(REPO_ROOT, 'main', 'catalog', 'demo-catalog.csv'),
    shell: 'browser',
    startBundledHost: ({ dataDir, port, link }) => startChildProcessHost({ entry: join(REPO_ROOT, 'bank', 'bank-host.ts'), dataDir, port, link, log: options.log }),
    log: options.log,
  });
  let server: RunningStationServer;
  try {
    server = await startStationServer({
      rendererDir: RENDERER_DIR,
      pages: booted.pages,
      ...(options.port === undefined ? {} : { port: options.port }),
      log: options.log,
    });
  } catch (error) {
    await booted.stop();
    throw error;
  }
  return {
    server,
    host: booted.host,
    async stop() {
      await server.close();
      await booted.stop();
    },
  };
}
