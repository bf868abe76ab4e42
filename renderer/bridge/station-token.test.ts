// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { takeStationToken, type TokenEnvironment } from './station-token.ts';

function environment(hash: string, stored: Record<string, string> = {}) {
  const storage = new Map(Object.entries(stored));
  const replaced: string[] = [];
  const env: TokenEnvironment = {
    location: { hash, pathname: '/index.html', search: '?lane=2' },
    history: { state: null, replaceState: (_state, _unused, url) => void replaced.push(String(url)) },
    storage: { getItem: (key) => storage.get(key) ?? null, setItem: (key, value) => void storage.set(key, value) },
  };
  return { env, storage, replaced };
}

describe('station token', () => {
  it('takes the token from the fragment, keeps it in sessionStorage under its contract and strips it from the address bar', () => {
    const { env, storage, replaced } = environment('#token=0a1b2c3d4e5f');
    expect(takeStationToken(env, 'pos')).toBe('0a1b2c3d4e5f');
    expect([...storage.entries()]).toEqual([['pos.stationToken.pos', '0a1b2c3d4e5f']]);
    expect(replaced).toEqual(['/index.html?lane=2']);
  });

  it('falls back to the stored token after a reload', () => {
    const { env, replaced } = environment('', { 'pos.stationToken.pos': 'beef' });
    expect(takeStationToken(env, 'pos')).toBe('beef');
    expect(replaced).toEqual([]);
  });

  it("never takes another page's stored token: each page keeps its own", () => {
    const { env } = environment('', { 'pos.stationToken.pos': 'beef' });
    expect(takeStationToken(env, 'sim')).toBeUndefined();
  });

  it('prefers a fresh token in the fragment over a stored one', () => {
    const { env } = environment('#token=cafe', { 'pos.stationToken.pos': 'beef' });
    expect(takeStationToken(env, 'pos')).toBe('cafe');
  });

  it('refuses a token that is not hex, but still strips it from the address bar', () => {
    const { env, storage, replaced } = environment('#token=<script>');
    expect(takeStationToken(env, 'pos')).toBeUndefined();
    expect(storage.size).toBe(0);
    expect(replaced).toEqual(['/index.html?lane=2']);
  });

  it('has no token when neither the fragment nor the storage holds one', () => {
    expect(takeStationToken(environment('#other=1').env, 'pos')).toBeUndefined();
  });
});
