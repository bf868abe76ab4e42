/**
 * The per-run token that lets a browser page talk to the station server. Every page has its own:
 * the server prints one link per page with that page's token in the URL fragment (never sent in
 * HTTP requests or Referer headers), and the token opens that page's socket only. The page moves it
 * into the state of its own history entry, under its contract's name, so a reload keeps working,
 * and takes it out of the address bar so it is not bookmarked or shoulder-surfed.
 *
 * Not sessionStorage: every station page has the same origin, and a tab's sessionStorage belongs to
 * the origin, so a page opened in the tab where another page had been could read that page's token.
 * A history entry's state is readable only by the document showing that entry (docs/security.md,
 * "One origin, several pages").
 *
 * No page hands its token to another: the checkout cannot open the simulated-devices panel, which
 * is opened from its own link (`npm start` opens both windows).
 */

const STATE_PREFIX = 'pos.stationToken.';
// Hex only, so the token can go into a URL unescaped; the length is the server's business.
const TOKEN_PATTERN = /^[0-9a-f]{1,512}$/i;

export interface TokenEnvironment {
  readonly location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  readonly history: Pick<History, 'replaceState' | 'state'>;
}

function entryState(history: TokenEnvironment['history']): Record<string, unknown> {
  const state: unknown = history.state;
  return typeof state === 'object' && state !== null ? (state as Record<string, unknown>) : {};
}

/**
 * Reads the token for `contract` from `#token=<hex>` (then strips it from the address bar, keeping
 * it in this history entry's state) or, failing that, from this entry's state: a reload.
 */
export function takeStationToken(env: TokenEnvironment, contract: string): string | undefined {
  const key = `${STATE_PREFIX}${contract}`;
  const state = entryState(env.history);
  const fromFragment = new URLSearchParams(env.location.hash.replace(/^#/, '')).get('token');
  if (fromFragment !== null) {
    const valid = TOKEN_PATTERN.test(fromFragment);
    env.history.replaceState(valid ? { ...state, [key]: fromFragment } : state, '', `${env.location.pathname}${env.location.search}`);
    if (valid) return fromFragment;
  }
  const kept = state[key];
  return typeof kept === 'string' && TOKEN_PATTERN.test(kept) ? kept : undefined;
}
