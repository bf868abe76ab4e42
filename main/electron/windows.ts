/**
 * One window per page of the station's table (main/station/station-pages.ts): the cashier's
 * checkout, the customer display (placed by display-placement.ts) and, unless the station runs real
 * devices only, the simulated-devices panel that stands in for the hardware. All are sandboxed, context-isolated, Node-free, and load only app:// pages.
 */
import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { APP_ORIGIN } from '../ipc/sender-policy.ts';

declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;

export interface WindowSpec {
  readonly preloadFile: string;
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly x?: number;
}

/** Each page's window and preload; a page added to the station's table needs its entry here. */
export const PAGE_WINDOWS: Readonly<Record<string, WindowSpec>> = {
  'index.html': { preloadFile: 'checkout-preload.cjs', title: 'POS Station', width: 1280, height: 800 },
  'display.html': { preloadFile: 'display-preload.cjs', title: 'Customer display', width: 800, height: 600 },
  'simulator.html': { preloadFile: 'simulator-preload.cjs', title: 'Simulated devices', width: 640, height: 800, x: 0 },
};

/** Forge's Vite dev server, during development only. */
export function viteDevServerUrl(): string | undefined {
  return typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
}

/** The URL a page loads from: the Vite dev server during development, app:// otherwise. */
export function pageUrl(page: string): string {
  return new URL(page, `${viteDevServerUrl() ?? APP_ORIGIN}/`).toString();
}

export function createStationWindow(page: string): BrowserWindow {
  const options = PAGE_WINDOWS[page];
  if (!options) throw new Error(`no window is defined for the page ${page} (main/electron/windows.ts)`);
  const window = new BrowserWindow({
    title: options.title,
    width: options.width,
    height: options.height,
    ...(options.x === undefined ? {} : { x: options.x }),
    show: false,
    backgroundColor: '#f4f1ea',
    webPreferences: {
      preload: join(__dirname, options.preloadFile),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(pageUrl(page));
  return window;
}
