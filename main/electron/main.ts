/**
 * The Electron shell, kept thin on purpose: it hardens the session, serves the renderer over app://,
 * starts the bundled host in a utilityProcess (supervised by the station), boots the same station
 * services the browser target uses, and opens one window per page of the station's table, binding
 * that page's contract to that window over IPC. Everything else lives outside Electron.
 */
import { app, BrowserWindow, session } from 'electron';
import { join } from 'node:path';
import { servedFiles } from '../station-server/page-files.ts';
import { bootStation, type BootedStation } from '../station/boot.ts';
import { favourMemoryOverSpeed } from '../station/heap-profile.ts';
import { registerAppScheme, serveRenderer } from './app-protocol.ts';
import { serveContractOverIpc } from './ipc-registration.ts';
import { hardenSession, lockDownWebContents } from './session-hardening.ts';
import { startUtilityProcessHost } from './utility-process-host.ts';
import { createStationWindow, pageUrl, viteDevServerUrl } from './windows.ts';

declare const MAIN_WINDOW_VITE_NAME: string;

const log = (line: string) => console.log(line);

/** Bundled resources: next to the app code when run unpackaged, in resources/ once packaged. */
function resourcePath(...parts: string[]): string {
  return app.isPackaged ? join(process.resourcesPath, ...parts) : join(app.getAppPath(), 'bank', ...parts);
}

favourMemoryOverSpeed();
registerAppScheme();
app.enableSandbox();
lockDownWebContents();

let booted: BootedStation | undefined;

async function start(): Promise<void> {
  hardenSession(session.defaultSession, viteDevServerUrl() !== undefined);
  const deckPath = resourcePath('deck', 'test-cards.json');
  booted = await bootStation({
    // POS_DATA_DIR lets tests (and a second station on one PC) keep their data apart.
    dataDir: process.env.POS_DATA_DIR ?? app.getPath('userData'),
    deckPath,
    // The demo catalog a new data directory starts with: a resource once packaged, the source file otherwise.
    seedCatalogPath: app.isPackaged ? join(process.resourcesPath, 'demo-catalog.csv') : join(app.getAppPath(), 'main', 'catalog', 'demo-catalog.csv'),
    shell: 'electron',
    startBundledHost: ({ dataDir, port }) =>
      startUtilityProcessHost({ entry: join(__dirname, 'bank-host.cjs'), deckPath, configPath: resourcePath('config', 'host.json'), dataDir, port, log }),
    log,
  });
  const rendererDir = join(__dirname, '..', 'renderer', MAIN_WINDOW_VITE_NAME);
  serveRenderer(rendererDir, servedFiles(rendererDir, booted.pages.map((page) => page.path)));
  for (const page of booted.pages) {
    const window = createStationWindow(page.path);
    serveContractOverIpc(page.contract, page.served, window, pageUrl(page.path), log);
    // The checkout is the station: closing it quits, whatever other windows are open.
    if (page.path === 'index.html') window.on('closed', () => app.quit());
  }
}

app.whenReady().then(start).catch((error: unknown) => {
  console.error(`The station could not start: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
});

app.on('window-all-closed', () => app.quit());

app.on('will-quit', (event) => {
  const running = booted;
  if (!running) return;
  booted = undefined;
  event.preventDefault();
  void running.stop().finally(() => app.quit());
});

// Every window is created by start(); an 'activate' with none left (macOS dock click) reopens nothing half-booted.
app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0 && booted === undefined) app.quit();
});
