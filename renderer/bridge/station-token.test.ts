// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { takeStationToken, type TokenEnvironment } from './station-token.ts';

/** A page's location and its history entry, whose state survives a reload. */
function environment(hash: string, state: unknown = null) {
  const replaced: string[] = [];
  const history = {
    state,
    replaceState(next: unknown, _unused: string, url?: string | URL | null) {
      history.state = next;
      replaced.push(String(url));
    },
  };
  const env: TokenEnvironment = { location: { hash, pathname: '/index.html', search: '?lane=2' }, history };
  return { env, history, replaced };
}

describe('station token', () => {
  it("takes the token from the fragment, keeps it in its history entry's state under its contract and strips it from the address bar", () => {
    const { env, history, replaced } = environment('#token=0a1b2c3d4e5f', { scroll: 3 });
    expect(takeStationToken(env, 'pos')).toBe('0a1b2c3d4e5f');
    expect(history.state).toEqual({ scroll: 3, 'pos.stationToken.pos': '0a1b2c3d4e5f' });
    expect(replaced).toEqual(['/index.html?lane=2']);
  });

  it("falls back to the entry's kept token after a reload", () => {
    const { env, replaced } = environment('', { 'pos.stationToken.pos': 'beef' });
    expect(takeStationToken(env, 'pos')).toBe('beef');
    expect(replaced).toEqual([]);
  });

  it("never takes another page's kept token: each page keeps its own", () => {
    const { env } = environment('', { 'pos.stationToken.pos': 'beef' });
    expect(takeStationToken(env, 'sim')).toBeUndefined();
  });

  it('prefers a fresh token in the fragment over a kept one', () => {
    const { env, history } = environment('#token=cafe', { 'pos.stationToken.pos': 'beef' });
    expect(takeStationToken(env, 'pos')).toBe('cafe');
    expect(history.state).toEqual({ 'pos.stationToken.pos': 'cafe' });
  });

  it('refuses a token that is not hex, but still strips it from the address bar', () => {
    const { env, history, replaced } = environment('#token=<script>');
    expect(takeStationToken(env, 'pos')).toBeUndefined();
    expect(history.state).toEqual({});
    expect(replaced).toEqual(['/index.html?lane=2']);
  });

  it('has no token when neither the fragment nor the entry holds one, whatever else the state is', () => {
    expect(takeStationToken(environment('#other=1').env, 'pos')).toBeUndefined();
    expect(takeStationToken(environment('', 'a string').env, 'pos')).toBeUndefined();
    expect(takeStationToken(environment('', { 'pos.stationToken.pos': 42 }).env, 'pos')).toBeUndefined();
  });
});
