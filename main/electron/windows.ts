/**
 * The two windows: the cashier's checkout and, in demo mode, the simulated-devices panel that stands
 * in for the hardware. Both are sandboxed, context-isolated, Node-free, and load only app:// pages.
 */
import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { APP_ORIGIN } from '../ipc/sender-policy.ts';

declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;

export type StationPage = 'index.html' | 'simulator.html';

/** Forge's Vite dev server, during development only. */
export function viteDevServerUrl(): string | undefined {
  return typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
}

/** The URL a page loads from: the Vite dev server during development, app:// otherwise. */
export function pageUrl(page: StationPage): string {
  return new URL(page, `${viteDevServerUrl() ?? APP_ORIGIN}/`).toString();
}

export function createStationWindow(page: StationPage, preloadFile: string, options: { title: string; width: number; height: number; x?: number }): BrowserWindow {
  const window = new BrowserWindow({
    title: options.title,
    width: options.width,
    height: options.height,
    ...(options.x === undefined ? {} : { x: options.x }),
    show: false,
    backgroundColor: '#f4f1ea',
    webPreferences: {
      preload: join(__dirname, preloadFile),
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
