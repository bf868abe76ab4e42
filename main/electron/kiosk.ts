/**
 * Kiosk mode (station.json `kiosk.enabled`, or the `--kiosk` flag): the checkout fills the screen
 * with no menu, and the cashier cannot close it. The documented key combination, KIOSK_EXIT_KEYS,
 * only asks for an exit: the checkout then shows the supervisor approval, and the station checks it
 * (main/operators/kiosk-exit.ts) before it calls `leave()`, which lets the window close and quits.
 * The operating system can still end it (log out, shut down): that quit is let through. The
 * simulated devices go to the second screen when there is one (the customer display goes there in
 * any mode: display-placement.ts).
 *
 * Only the shapes of Electron's window and input used here, so a unit test drives it with fakes.
 */
export const KIOSK_FLAG = '--kiosk';
export const KIOSK_EXIT_KEYS = 'Ctrl+Alt+Shift+Q';

export interface KeyInput {
  readonly type: string;
  readonly key: string;
  readonly control: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
  readonly meta: boolean;
}

export interface KioskWindow {
  setKiosk(flag: boolean): void;
  removeMenu(): void;
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  readonly webContents: { on(event: 'before-input-event', listener: (event: { preventDefault(): void }, input: KeyInput) => void): unknown };
}

export function kioskRequested(argv: readonly string[], config: { readonly kiosk: { readonly enabled: boolean } }): boolean {
  return config.kiosk.enabled || argv.includes(KIOSK_FLAG);
}

export function isKioskExitKeys(input: KeyInput): boolean {
  return input.type === 'keyDown' && input.control && input.alt && input.shift && !input.meta && input.key.toLowerCase() === 'q';
}

export interface KioskLock {
  /** Still locked: no approved exit and no quit let through yet. */
  locked(): boolean;
  /** A supervisor approved the exit (the station checked it): the window may close, and the app quits. */
  leave(): void;
  /** Lets the window close: the app is quitting for a reason the kiosk does not stand in the way of. */
  allowClose(): void;
}

export interface KioskOptions {
  /** The exit keys were pressed: ask the checkout for a supervisor's approval. */
  readonly requestExit: () => void;
  readonly quit: () => void;
  readonly log: (line: string) => void;
}

export function lockKiosk(window: KioskWindow, options: KioskOptions): KioskLock {
  let closable = false;
  window.setKiosk(true);
  window.removeMenu();
  window.on('close', (event) => {
    if (closable) return;
    event.preventDefault();
    options.log(`kiosk: the checkout stays open (a supervisor closes it: ${KIOSK_EXIT_KEYS}, then their id and PIN)`);
  });
  window.webContents.on('before-input-event', (event, input) => {
    if (!isKioskExitKeys(input)) return;
    event.preventDefault();
    options.log(`kiosk: exit asked (${KIOSK_EXIT_KEYS}); the checkout asks for a supervisor`);
    options.requestExit();
  });
  return {
    locked: () => !closable,
    leave: () => {
      closable = true;
      options.quit();
    },
    allowClose: () => {
      closable = true;
    },
  };
}

export interface DisplayArea {
  readonly id: number;
  readonly workArea: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

/** The screen facing the customer: the first display that is not the primary one, if any. */
export function secondDisplay(displays: readonly DisplayArea[], primary: DisplayArea): DisplayArea | undefined {
  return displays.find((display) => display.id !== primary.id);
}
