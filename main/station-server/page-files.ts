/**
 * Which files of the built renderer the station serves: the pages in its table and the assets they
 * load, and nothing that belongs only to a page it does not serve. A station with real devices
 * only answers 404 for the simulated-devices page and for that page's own scripts and styles.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The assets a built page loads: Vite writes them as "./assets/<name>" in src and href attributes. */
function assetsOf(html: string): Set<string> {
  return new Set([...html.matchAll(/\b(?:src|href)="\.\/(assets\/[^"?#]+)"/g)].map((match) => match[1] as string));
}

/** A predicate over paths relative to the renderer folder ("index.html", "assets/x.js"). */
export function servedFiles(rendererDir: string, pagePaths: readonly string[]): (relativePath: string) => boolean {
  // No build yet (Electron during development loads pages from Vite's dev server): nothing to refuse.
  const pages = existsSync(rendererDir) ? readdirSync(rendererDir).filter((name) => name.endsWith('.html')) : [];
  const wanted = new Set(pagePaths);
  const loadedBy = (served: boolean) =>
    new Set(pages.filter((name) => wanted.has(name) === served).flatMap((name) => [...assetsOf(readFileSync(join(rendererDir, name), 'utf8'))]));
  const servedAssets = loadedBy(true);
  const refused = new Set([...pages.filter((name) => !wanted.has(name)), ...[...loadedBy(false)].filter((asset) => !servedAssets.has(asset))]);
  return (relativePath) => !refused.has(relativePath);
}
