/**
 * Who may call the station over Electron IPC: only the main frame of the window a contract belongs
 * to, showing that window's own page. The URL is parsed and compared by origin and path, never
 * prefix-matched (Electron security checklist #17). A missing frame (navigated away, destroyed) is refused.
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

export function isTrustedSender(facts: SenderFacts, expectedPageUrl: string): boolean {
  if (facts.frameUrl === undefined || !facts.isMainFrame) return false;
  if (facts.expectedWebContentsId === undefined || facts.webContentsId !== facts.expectedWebContentsId) return false;
  let actual: URL;
  let expected: URL;
  try {
    actual = new URL(facts.frameUrl);
    expected = new URL(expectedPageUrl);
  } catch {
    return false;
  }
  return actual.protocol === expected.protocol && actual.host === expected.host && actual.pathname === expected.pathname;
}
