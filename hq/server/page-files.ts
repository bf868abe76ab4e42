/**
 * The built report page, read into memory once at start: the server answers only for files the
 * build produced, so no request path ever reaches the file system.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/** Same rules as the station's pages: no inline script or style, nothing from elsewhere, no framing. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export interface PageFile {
  readonly body: Buffer;
  readonly contentType: string;
}

export type PageFiles = ReadonlyMap<string, PageFile>;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** URL path → file, for every servable file under `dir`; "/" is the page itself. */
export function loadPageFiles(dir: string): PageFiles {
  const files = new Map<string, PageFile>();
  for (const path of walk(dir)) {
    const contentType = CONTENT_TYPES[extname(path)];
    if (!contentType) continue;
    files.set(`/${relative(dir, path).split(sep).join('/')}`, { body: readFileSync(path), contentType });
  }
  const index = files.get('/hq.html');
  if (!index) throw new Error(`the report page is not built in ${dir} (npm run build:hq)`);
  files.set('/', index);
  return files;
}
