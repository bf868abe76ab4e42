import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from './ledger.ts';

const WINDOW_MS = 300_000;
let dataDir: string;
let ledger: Ledger;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'recent-requests-'));
  ledger = openLedger(dataDir);
});

afterEach(() => {
  ledger.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const remember = (key: string, nowMs: number) => ledger.atomically(() => ledger.recentRequests.remember(key, nowMs, WINDOW_MS));
const count = () => (ledger.db.prepare('SELECT count(*) AS n FROM recent_requests').get() as { n: number }).n;

describe('recent requests', () => {
  it('knows a key again only within the window', () => {
    expect(remember('k', 1_000_000)).toBe(true);
    expect(remember('k', 1_000_000 + WINDOW_MS - 1)).toBe(false);
    expect(remember('other', 1_000_000 + 1)).toBe(true);
    expect(remember('k', 1_000_000 + WINDOW_MS)).toBe(true);
    expect(remember('k', 1_000_000 + WINDOW_MS + 1)).toBe(false);
  });

  it('survives a restart', () => {
    expect(remember('k', 1_000_000)).toBe(true);
    ledger.close();
    ledger = openLedger(dataDir);
    expect(remember('k', 1_000_000 + 60_000)).toBe(false);
  });

  it('purges expired keys as time goes on', () => {
    for (let i = 0; i < 10; i++) remember(`k${i}`, 1_000_000);
    expect(count()).toBe(10);
    remember('later', 1_000_000 + WINDOW_MS + 60_000);
    expect(count()).toBe(1);
  });
});
