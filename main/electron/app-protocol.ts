/**
 * Serves the renderer from app://station/ instead of file:// (Electron security checklist #18), with
 * the CSP header on every response. Paths are resolved inside the renderer folder only.
 */
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_HOST, APP_PROTOCOL } from '../ipc/sender-policy.ts';
import { SECURITY_HEADERS } from '../station-server/security-headers.ts';
import { rendererRelativePath, resolveStaticPath } from '../station-server/static-files.ts';

/** Must run before app 'ready': app:// behaves as a standard, secure origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the files `served` allows (main/station-server/page-files.ts): the pages of the station's table and their assets. */
export function serveRenderer(rendererDir: string, served: (relativePath: string) => boolean): void {
  protocol.handle(APP_PROTOCOL, async (request) => {
    const url = new URL(request.url);
    const path = url.host === APP_HOST ? resolveStaticPath(rendererDir, url.pathname) : undefined;
    if (!path || !served(rendererRelativePath(rendererDir, path))) return new Response('not found', { status: 404, headers: SECURITY_HEADERS });
    const response = await net.fetch(pathToFileURL(path).toString());
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
    return new Response(response.body, { status: response.status, headers });
  });
}
