/**
 * Headers every station page and asset is served with. The CSP is the same one the Electron shell
 * sets on app:// responses, so both targets run the renderer under identical rules.
 */
/**
 * The policy, strict for every build the station ships. Only Forge's Vite dev server (`npm start`
 * during development) gets inline styles and its hot-reload socket, because Vite injects <style> tags.
 */
export function contentSecurityPolicy(viteDevServer: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    viteDevServer ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    viteDevServer ? "connect-src 'self' ws:" : "connect-src 'self'",
    "object-src 'none'",
    // No workers of any kind: above all no service worker, which one page of the shared origin could
    // register to sit in front of every other page (docs/security.md, "One origin, several pages").
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy(false);

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'usb=(), serial=(), hid=(), camera=(), microphone=(), geolocation=(), payment=()',
  'Cache-Control': 'no-store',
};
