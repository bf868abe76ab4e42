import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRiskRules } from './risk-rules.ts';

const BUNDLED = fileURLToPath(new URL('../config/risk-rules.json', import.meta.url));
const bundled = JSON.parse(readFileSync(BUNDLED, 'utf8')) as { memory: Record<string, unknown>; rules: Record<string, unknown>[] };
const dir = mkdtempSync(join(tmpdir(), 'risk-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rulesFile(change: (rules: typeof bundled) => void): string {
  const copy = structuredClone(bundled);
  change(copy);
  const path = join(dir, `rules-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(copy));
  return path;
}

describe('risk rules file', () => {
  it('loads the bundled rules: one of each kind', () => {
    const { rules, memory } = loadRiskRules(BUNDLED);
    expect(rules.map((rule) => rule.type).sort()).toEqual(['amount-vs-history', 'card-declines', 'card-terminals', 'card-velocity', 'entry-mode-amount', 'terminal-velocity']);
    expect(memory.maxEventsPerKey).toBeGreaterThan(0);
  });

  it.each([
    ['an unknown rule type', (r: typeof bundled) => (r.rules[1]!.type = 'card-crystal-ball'), '$.rules[1].type:'],
    ['a window of zero', (r: typeof bundled) => (r.rules[0]!.windowSeconds = 0), '$.rules[0].windowSeconds:'],
    ['an unknown action', (r: typeof bundled) => (r.rules[0]!.action = 'decline-51'), '$.rules[0].action:'],
    ['a misspelt field', (r: typeof bundled) => (r.rules[3]!.maxDecline = 3), '$.rules[3]:'],
    ['a velocity rule without a threshold', (r: typeof bundled) => (r.rules[1]!.maxCount = undefined), '$.rules[1]: needs maxCount, maxAmountMinor or both'],
    ['a duplicate rule id', (r: typeof bundled) => (r.rules[2]!.id = r.rules[0]!.id), '$.rules[2].id: rule id already used'],
    ['a count the bounded window cannot reach', (r: typeof bundled) => (r.rules[0]!.maxCount = 256), '$.rules[0].maxCount: must be below memory.maxEventsPerKey (256)'],
    ['more history required than kept', (r: typeof bundled) => (r.rules[2]!.minHistory = 50), '$.rules[2].minHistory: must not exceed historySize'],
    ['no memory bounds', (r: typeof bundled) => (r.memory = {}), '$.memory.maxCards:'],
  ])('rejects %s, naming the file and JSON path', (_case, change, message) => {
    const path = rulesFile(change);
    expect(() => loadRiskRules(path)).toThrow(`risk rules ${path} is invalid`);
    expect(() => loadRiskRules(path)).toThrow(message);
  });
});
