/**
 * One app per data directory, the Electron way: app.requestSingleInstanceLock() is keyed on
 * userData, so userData is first set from POS_DATA_DIR (tests, a second station on one PC). A second
 * launch on the same directory gets `false`, and quits; the first gets 'second-instance' and brings
 * its checkout window to the front. (The station's own data-directory lock, taken at boot, still
 * stands behind this: it also keeps a browser-target station off the directory.)
 *
 * Only the shapes of Electron's app and window used here, so a unit test drives it with fakes.
 */
export interface SingleInstanceApp {
  setPath(name: 'userData', path: string): void;
  getPath(name: 'userData'): string;
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: () => void): unknown;
}

export interface FocusableWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/** The data directory: POS_DATA_DIR when set (made Electron's userData, before anything reads it), else userData. */
export function useDataDir(app: SingleInstanceApp, env: NodeJS.ProcessEnv): string {
  if (env.POS_DATA_DIR) app.setPath('userData', env.POS_DATA_DIR);
  return app.getPath('userData');
}

/**
 * Takes the single-instance lock; true when this is the first instance. `primaryWindow` is asked
 * for the window to bring forward each time a second launch hands over (none yet while booting).
 */
export function claimSingleInstance(app: SingleInstanceApp, primaryWindow: () => FocusableWindow | undefined): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => {
    const window = primaryWindow();
    if (window === undefined || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  return true;
}
