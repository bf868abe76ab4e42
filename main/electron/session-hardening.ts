/**
 * Electron security checklist, applied to the session and every web contents: deny all permission
 * requests and checks, deny device access (USB lives in main, not WebUSB in a page), deny
 * navigation away from the page and every new window, and refuse <webview>.
 */
import { app, shell, type Session } from 'electron';
import { contentSecurityPolicy } from '../station-server/security-headers.ts';

export function hardenSession(session: Session, viteDevServer: boolean): void {
  const policy = contentSecurityPolicy(viteDevServer);
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setUSBProtectedClassesHandler(() => []);
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}

export function lockDownWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  // shell.openExternal is never called with page-supplied input; keep a reference so the rule is visible in review.
  void shell;
}
