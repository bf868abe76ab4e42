import { describe, expect, it } from 'vitest';
import { resolveStaticPath } from './static-files.ts';

describe('static files', () => {
  const root = '/srv/renderer';
  it('serves the index for / and files inside the root', () => {
    expect(resolveStaticPath(root, '/')).toBe('/srv/renderer/index.html');
    expect(resolveStaticPath(root, '/assets/app.js')).toBe('/srv/renderer/assets/app.js');
  });

  it.each(['/../secret.html', '/assets/../../etc/passwd.html', '/%2e%2e/x.html', '/..%2fx.js', '/a%00.js', '/%E0%A4%A.js', '/notes.txt'])('refuses %s', (path) => {
    expect(resolveStaticPath(root, path)).toBeUndefined();
  });
});
