/**
 * The Electron shell, kept thin on purpose: it answers the Windows installer's events and exits,
 * runs a maintenance command (`pos-station support-bundle | backup | restore …`) and exits, or
 * else claims the single-instance lock for its data directory, hardens the session, serves the
 * renderer over app://, boots the same station services the browser target uses (the bundled host
 * in a utilityProcess, supervised by the station), opens one window per page of the station's
 * table and binds that page's contract to it over IPC, and on before-quit stops the station (host
 * and journal) before it lets the app go. Kiosk mode, the menu and autostart are set from
 * station.json. Everything else lives outside Electron.
 */
import { app, BrowserWindow, Menu, screen, session } from 'electron';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DeviceStatus } from '../../common/devices.ts';
import { applyAutostart, savedAutostartSetting } from '../autostart/autostart.ts';
import { runUpdateExe, squirrelCommands, squirrelEventOf, type SquirrelEvent } from '../autostart/squirrel.ts';
import type { StationConfig } from '../config/station-config.ts';
import { servedFiles } from '../station-server/page-files.ts';
import { bootStation, type BootedStation } from '../station/boot.ts';
import { favourMemoryOverSpeed } from '../station/heap-profile.ts';
import { maintenanceCommandOf, runMaintenanceCommand } from '../support/maintenance-commands.ts';
import { registerAppScheme, serveRenderer } from './app-protocol.ts';
import { serveContractOverIpc } from './ipc-registration.ts';
import { kioskRequested, lockKiosk, secondDisplay, type KioskLock } from './kiosk.ts';
import { hardenSession, lockDownWebContents } from './session-hardening.ts';
import { claimSingleInstance, useDataDir } from './single-instance.ts';
import { menuLabels, stationMenuActions, stationMenuTemplate } from './station-menu.ts';
import { startUtilityProcessHost } from './utility-process-host.ts';
import { placeCustomerDisplay } from './display-placement.ts';
import { createStationWindow, pageUrl, viteDevServerUrl } from './windows.ts';

declare const MAIN_WINDOW_VITE_NAME: string;

const log = (line: string) => console.log(line);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Bundled resources: next to the app code when run unpackaged, in resources/ once packaged. */
function resourcePath(...parts: string[]): string {
  return app.isPackaged ? join(process.resourcesPath, ...parts) : join(app.getAppPath(), 'bank', ...parts);
}

/** Installing, updating or removing on Windows: shortcuts made or removed, then exit; the station never starts now. */
async function answerSquirrel(event: SquirrelEvent): Promise<void> {
  const autostart = savedAutostartSetting(app.getPath('userData'));
  for (const args of squirrelCommands(event, { executable: process.execPath, autostart })) {
    await runUpdateExe(process.execPath, args).catch((error: unknown) => log(`installer: ${messageOf(error)}`));
  }
}

/** Autostart in line with station.json: for the installed app only (a source checkout has nothing to start). */
function reconcileAutostart(config: StationConfig): void {
  if (!app.isPackaged) {
    if (config.autostart.enabled) log('autostart: applies to the installed app only');
    return;
  }
  applyAutostart(config.autostart, { platform: process.platform, home: homedir(), env: process.env, executable: process.execPath, runUpdateExe: (args) => runUpdateExe(process.execPath, args) }).then(log, (error: unknown) =>
    log(`autostart: ${messageOf(error)}`),
  );
}

function runStation(dataDir: string, setCheckoutWindow: (window: BrowserWindow) => void): void {
  favourMemoryOverSpeed();
  registerAppScheme();
  app.enableSandbox();
  lockDownWebContents();

  let booted: BootedStation | undefined;
  let kiosk: KioskLock | undefined;
  let stopping = false;
  let stopped = false;

  async function start(): Promise<void> {
    hardenSession(session.defaultSession, viteDevServerUrl() !== undefined);
    const deckPath = resourcePath('deck', 'test-cards.json');
    const hostConfigPath = resourcePath('config', 'host.json');
    booted = await bootStation({
      dataDir,
      deckPath,
      // The demo catalog a new data directory starts with: a resource once packaged, the source file otherwise.
      seedCatalogPath: app.isPackaged ? join(process.resourcesPath, 'demo-catalog.csv') : join(app.getAppPath(), 'main', 'catalog', 'demo-catalog.csv'),
      shell: 'electron',
      startBundledHost: ({ dataDir: hostDataDir, port, link }) => startUtilityProcessHost({ entry: join(__dirname, 'bank-host.cjs'), deckPath, configPath: hostConfigPath, dataDir: hostDataDir, port, link, log }),
      log,
      // The station checks the supervisor's approval; the lock (set below, once the checkout window exists) lets the app go.
      kiosk: { locked: () => kiosk?.locked() ?? false, leave: () => kiosk?.leave() },
    });
    const { station, config, pages } = booted;
    const rendererDir = join(__dirname, '..', 'renderer', MAIN_WINDOW_VITE_NAME);
    serveRenderer(rendererDir, servedFiles(rendererDir, pages.map((page) => page.path)));
    const windows = new Map<string, BrowserWindow>();
    for (const page of pages) {
      const window = createStationWindow(page.path);
      serveContractOverIpc(page.contract, page.served, window, pageUrl(page.path), log);
      windows.set(page.path, window);
    }
    // The checkout is the station: closing it quits, whatever other windows are open.
    const checkoutWindow = windows.get('index.html')!;
    setCheckoutWindow(checkoutWindow);
    const displayWindow = windows.get('display.html');
    if (displayWindow) log(`customer display: on the ${placeCustomerDisplay(displayWindow, screen).on.replace('_', ' ')}`);

    if (kioskRequested(process.argv, config)) {
      Menu.setApplicationMenu(null);
      kiosk = lockKiosk(checkoutWindow, { requestExit: () => station.checkout.events.emit('kioskExitRequested', {}), quit: () => app.quit(), log });
      // The simulated devices stand in for hardware on the customer's side of the counter; the customer display is placed above.
      const customerScreen = secondDisplay(screen.getAllDisplays(), screen.getPrimaryDisplay());
      const simulatorWindow = windows.get('simulator.html');
      if (customerScreen !== undefined && simulatorWindow) simulatorWindow.setBounds(customerScreen.workArea);
    } else {
      const actions = stationMenuActions({
        window: () => (checkoutWindow.isDestroyed() ? undefined : checkoutWindow),
        dataDir,
        hostConfigPath: config.acquirer.mode === 'bundled' ? hostConfigPath : undefined,
        backup: { folder: config.backup.folder === null ? undefined : resolve(dataDir, config.backup.folder), keep: config.backup.keep },
        listDevices: async () => {
          const result = await station.checkout.dispatch('listDevices', {});
          return result.ok ? (result.value as DeviceStatus[]) : [];
        },
        labels: menuLabels(app.getLocale()),
        log,
      });
      Menu.setApplicationMenu(Menu.buildFromTemplate(stationMenuTemplate(actions, { labels: menuLabels(app.getLocale()), developer: !app.isPackaged })));
    }
    checkoutWindow.on('closed', () => app.quit());
    reconcileAutostart(config);
  }

  const booting = app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error(`The station could not start: ${messageOf(error)}`);
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());

  // Quitting stops the station first: the host is stopped and the journal closed, then the app goes.
  app.on('before-quit', (event) => {
    kiosk?.allowClose();
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    void booting
      .then(() => booted?.stop())
      .catch((error: unknown) => log(`the station did not stop cleanly: ${messageOf(error)}`))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });

  // Every window is created by start(); an 'activate' with none left (macOS dock click) reopens nothing half-booted.
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && booted === undefined) app.quit();
  });
}

/** The app's own arguments: after the executable, or after `electron .` when run unpackaged. */
const appArguments = process.argv.slice(app.isPackaged ? 1 : 2);
const squirrelEvent = squirrelEventOf(process.argv, process.platform);
const maintenanceCommand = maintenanceCommandOf(appArguments);
if (squirrelEvent !== undefined) {
  void answerSquirrel(squirrelEvent).finally(() => app.quit());
} else if (maintenanceCommand !== undefined) {
  // No window, no single-instance lock: a restore takes the station's own lock, and refuses while a station runs.
  void runMaintenanceCommand(maintenanceCommand, appArguments.slice(1), {
    dataDir: useDataDir(app, process.env),
    hostConfigPath: resourcePath('config', 'host.json'),
    appVersion: app.getVersion(),
    invocation: (name) => `pos-station ${name}`,
    print: log,
    printError: (line) => console.error(line),
  }).then((status) => app.exit(status));
} else {
  // POS_DATA_DIR (tests, a second station on one PC) becomes userData, which the single-instance lock is keyed on.
  const dataDir = useDataDir(app, process.env);
  let checkoutWindow: BrowserWindow | undefined;
  if (claimSingleInstance(app, () => checkoutWindow)) {
    runStation(dataDir, (window) => (checkoutWindow = window));
  } else {
    log(`another POS Station runs on ${dataDir}; it comes to the front instead`);
    app.quit();
  }
}
