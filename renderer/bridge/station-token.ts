/**
 * The per-run token that lets a browser page talk to the station server. The server prints a link
 * with the token in the URL fragment (never sent in HTTP requests or Referer headers); the page moves
 * it into sessionStorage so a reload and the link to the other page keep working, and takes it out of
 * the address bar so it is not bookmarked or shoulder-surfed.
 */

const STORAGE_KEY = 'pos.stationToken';
// Hex only, so the token can go into a URL unescaped; the length is the server's business.
const TOKEN_PATTERN = /^[0-9a-f]{1,512}$/i;

export interface TokenEnvironment {
  readonly location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  readonly history: Pick<History, 'replaceState' | 'state'>;
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/** Reads the token from `#token=<hex>` (then strips it from the address bar) or, failing that, from sessionStorage. */
export function takeStationToken(env: TokenEnvironment): string | undefined {
  const fromFragment = new URLSearchParams(env.location.hash.replace(/^#/, '')).get('token');
  if (fromFragment !== null) {
    env.history.replaceState(env.history.state, '', `${env.location.pathname}${env.location.search}`);
    if (TOKEN_PATTERN.test(fromFragment)) {
      env.storage.setItem(STORAGE_KEY, fromFragment);
      return fromFragment;
    }
  }
  const stored = env.storage.getItem(STORAGE_KEY);
  return stored !== null && TOKEN_PATTERN.test(stored) ? stored : undefined;
}

/**
 * A link to the other page that carries the token in its fragment: a new tab opened with noopener
 * starts with empty sessionStorage, so the fragment is what gets the token across.
 */
export function linkWithToken(relativePath: string, token: string | undefined): string {
  return token === undefined ? relativePath : `${relativePath}#token=${encodeURIComponent(token)}`;
}
