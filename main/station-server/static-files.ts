/** Serves the built renderer from one directory, refusing any path that would leave it. */
import { readFile } from 'node:fs/promises';
import { extname, relative, resolve, sep } from 'node:path';

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/** Resolves a URL path inside `root`; undefined for anything outside it or not a known file type. */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const rootDir = resolve(root);
  const target = resolve(rootDir, relative);
  if (!target.startsWith(rootDir + sep)) return undefined;
  return MIME_TYPES[extname(target)] ? target : undefined;
}

/** The path of a file inside `root` as the page table names it: "index.html", "assets/app.js". */
export function rendererRelativePath(root: string, path: string): string {
  return relative(resolve(root), path).split(sep).join('/');
}

/** Reads a file inside `root`; undefined when the path leaves it, is of an unknown type, or is not `served`. */
export async function readStaticFile(root: string, urlPath: string, served: (relativePath: string) => boolean = () => true): Promise<StaticFile | undefined> {
  const path = resolveStaticPath(root, urlPath);
  if (!path || !served(rendererRelativePath(root, path))) return undefined;
  try {
    return { body: await readFile(path), contentType: MIME_TYPES[extname(path)] as string };
  } catch {
    return undefined;
  }
}
