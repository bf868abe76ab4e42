/**
 * Who may call the station over Electron IPC: only the main frame of the window the contract belongs
 * to, showing our own app:// origin. The URL is parsed, never prefix-matched (Electron security
 * checklist #17). A missing frame (navigated away or destroyed) is refused.
 */

export const APP_PROTOCOL = 'app';
export const APP_HOST = 'station';
export const APP_ORIGIN = `${APP_PROTOCOL}://${APP_HOST}`;

export interface SenderFacts {
  /** The sending frame's URL, or undefined when Electron reports no frame. */
  readonly frameUrl: string | undefined;
  readonly isMainFrame: boolean;
  /** The webContents the message came from, and the one this contract is bound to. */
  readonly webContentsId: number;
  readonly expectedWebContentsId: number | undefined;
}

export function isTrustedSender(facts: SenderFacts, expectedPage: string): boolean {
  if (facts.frameUrl === undefined || !facts.isMainFrame) return false;
  if (facts.expectedWebContentsId === undefined || facts.webContentsId !== facts.expectedWebContentsId) return false;
  let url: URL;
  try {
    url = new URL(facts.frameUrl);
  } catch {
    return false;
  }
  return url.protocol === `${APP_PROTOCOL}:` && url.host === APP_HOST && url.pathname === expectedPage;
}
