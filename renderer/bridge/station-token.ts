/**
 * The per-run token that lets a browser page talk to the station server. Every page has its own:
 * the server prints one link per page with that page's token in the URL fragment (never sent in
 * HTTP requests or Referer headers), and the token opens that page's socket only. The page moves it
 * into sessionStorage, under its contract's name, so a reload keeps working, and takes it out of
 * the address bar so it is not bookmarked or shoulder-surfed.
 *
 * No page hands its token to another: the checkout cannot open the simulated-devices panel, which
 * is opened from its own link (`npm start` opens both windows).
 */

const STORAGE_PREFIX = 'pos.stationToken.';
// Hex only, so the token can go into a URL unescaped; the length is the server's business.
const TOKEN_PATTERN = /^[0-9a-f]{1,512}$/i;

export interface TokenEnvironment {
  readonly location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  readonly history: Pick<History, 'replaceState' | 'state'>;
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * Reads the token for `contract` from `#token=<hex>` (then strips it from the address bar) or,
 * failing that, from sessionStorage, where only this contract's page put it.
 */
export function takeStationToken(env: TokenEnvironment, contract: string): string | undefined {
  const key = `${STORAGE_PREFIX}${contract}`;
  const fromFragment = new URLSearchParams(env.location.hash.replace(/^#/, '')).get('token');
  if (fromFragment !== null) {
    env.history.replaceState(env.history.state, '', `${env.location.pathname}${env.location.search}`);
    if (TOKEN_PATTERN.test(fromFragment)) {
      env.storage.setItem(key, fromFragment);
      return fromFragment;
    }
  }
  const stored = env.storage.getItem(key);
  return stored !== null && TOKEN_PATTERN.test(stored) ? stored : undefined;
}
