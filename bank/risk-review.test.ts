/** The risk review CLI as its own process, on a data directory a host has written. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCardDeck } from './deck/card-deck.ts';
import { openLedger } from './ledger/ledger.ts';
import { issuerControlsFor } from './issuer/card-checks/issuer-controls-fixture.ts';
import { createRiskEvents } from './risk/risk-events.ts';
import { BUNDLED_DECK_PATH } from './start-host.ts';

const ENTRY = fileURLToPath(new URL('./risk-review.ts', import.meta.url));
const deck = loadCardDeck(BUNDLED_DECK_PATH);
const PAN = '6212345678901232';
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'risk-review-'));
  const ledger = openLedger(dataDir);
  let clock = new Date('2026-11-21T10:00:00Z');
  const { risk } = issuerControlsFor(ledger, deck, () => clock);
  const purchase = (stan: string, outcome?: string) => {
    const watched = risk.watch({ pan: PAN, tid: 'POS00001', stan, amountMinor: 1_000, currencyNumeric: '156' });
    if (outcome !== undefined) return watched.settle({ responseCode: outcome });
    return watched.settle({ responseCode: watched.assess().responseCode ?? '00' });
  };
  purchase('000001', '55');
  clock = new Date('2026-11-21T11:00:00Z');
  for (let i = 2; i <= 12; i++) purchase(String(i).padStart(6, '0'));
  createRiskEvents(ledger).append({ at: '2026-11-21T11:30:00.000Z', kind: 'terminal-already-signed-on', tid: 'POS00001', detail: 'sign-on from 10.0.0.9:5100 refused: already signed on from 10.0.0.8:5200' });
  ledger.close();
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const review = (...args: string[]) => spawnSync(process.execPath, [ENTRY, ...args], { encoding: 'utf8' });

describe('node bank/risk-review.ts', () => {
  it('prints the risk log as a table, masked, with the decisions and their reasons', () => {
    const { status, stdout } = review('--data', dataDir);
    expect(status).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^at\s+decision\s+rc\s+pan\s+tid\s+stan\s+amount\s+reasons$/);
    expect(lines[1]).toMatch(/^2026-11-21T10:00:00.000Z {2}skipped {5}55 {2}621234\*{6}1232 {2}POS00001 {2}000001 {2}10.00 CNY {2}-$/);
    expect(lines.at(-2)).toMatch(/ decline-59 +59 .* card-velocity-10m: 11 card approvals in 600s with this one \(max 10\)$/);
    expect(lines.at(-1)).toBe('12 purchases, 11 assessed, 1 declined by the risk rules');
    expect(stdout).not.toContain(PAN);
  });

  it('filters with --since and prints JSON with --json', () => {
    const { status, stdout } = review('--data', dataDir, '--since', '2026-11-21T10:30:00Z', '--json');
    expect(status).toBe(0);
    const entries = JSON.parse(stdout) as { stan: string; decision: string; maskedPan: string }[];
    expect(entries).toHaveLength(11);
    expect(entries[0]).toMatchObject({ stan: '000002', decision: 'approve', maskedPan: '621234******1232' });
  });

  it('lists the risk events with --events', () => {
    const { status, stdout } = review('--data', dataDir, '--events');
    expect(status).toBe(0);
    expect(stdout).toBe('2026-11-21T11:30:00.000Z  terminal-already-signed-on  POS00001  sign-on from 10.0.0.9:5100 refused: already signed on from 10.0.0.8:5200\n');
    expect(JSON.parse(review('--data', dataDir, '--events', '--json', '--since', '2026-11-21T12:00:00Z').stdout)).toEqual([]);
  });

  it('explains a bad --since, a missing --data and a directory without a host database', () => {
    expect(review('--data', dataDir, '--since', 'yesterday')).toMatchObject({ status: 2, stderr: expect.stringContaining('--since must be an ISO 8601') });
    expect(review()).toMatchObject({ status: 2, stderr: expect.stringContaining('usage: node bank/risk-review.ts') });
    expect(review('--data', join(dataDir, 'nowhere'))).toMatchObject({ status: 1, stderr: expect.stringContaining('no host database at') });
  });
});
