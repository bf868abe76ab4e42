import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerConnection } from '../issuer/card-checks/ledger-connection.ts';
import { createCardHasher } from './card-hash.ts';
import { readRiskLog } from './risk-log.ts';
import { openRiskMonitor, type PurchaseFacts } from './risk-monitor.ts';
import type { RiskRule, RiskRules } from './risk-rules.ts';

const PAN = '6212345678901232';
const OTHER_PAN = '4111110000000013';
const hashCard = createCardHasher(Buffer.alloc(32, 7));
const memory = { maxCards: 1_000, maxTerminals: 1_000, maxEventsPerKey: 64 };

let dir: string;
let db: DatabaseSync;
let clock: Date;
let lines: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'risk-monitor-'));
  db = new DatabaseSync(join(dir, 'ledger.sqlite'));
  clock = new Date('2026-11-21T10:00:00Z');
  lines = [];
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const connection = (): LedgerConnection => ({ db, atomically: (work) => work() });
const monitorWith = (rules: RiskRule[], limits = memory) =>
  openRiskMonitor({ rules: { memory: limits, rules } as RiskRules, connection: connection(), hashCard, now: () => clock, log: (line) => lines.push(line) });
const facts = (overrides: Partial<PurchaseFacts> = {}): PurchaseFacts => ({ pan: PAN, tid: 'POS00001', stan: '000001', amountMinor: 10_000, currencyNumeric: '156', ...overrides });
const later = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000));

/** One purchase through the monitor: assessed, then settled as the monitor decided, or as `outcome` says when it approved. */
function purchase(monitor: ReturnType<typeof monitorWith>, overrides: Partial<PurchaseFacts> = {}, outcome = '00'): string {
  const watched = monitor.watch(facts(overrides));
  const { responseCode } = watched.assess();
  return watched.settle({ responseCode: responseCode ?? outcome }).responseCode;
}

/** A purchase the card checks declined before the rules ran. */
function declinedByCardChecks(monitor: ReturnType<typeof monitorWith>, overrides: Partial<PurchaseFacts> = {}, code = '55'): void {
  monitor.watch(facts(overrides)).settle({ responseCode: code });
}

describe('risk monitor rules', () => {
  it('card velocity: declines the approval that would exceed the count in the window, then frees up as it slides', () => {
    const monitor = monitorWith([{ id: 'card-3-per-10m', type: 'card-velocity', windowSeconds: 600, maxCount: 3, action: 'decline-59' }]);
    for (let i = 0; i < 3; i++) expect(purchase(monitor)).toBe('00');
    expect(purchase(monitor)).toBe('59');
    expect(purchase(monitor, { pan: OTHER_PAN })).toBe('00');
    later(601);
    expect(purchase(monitor)).toBe('00');
  });

  it('card velocity: declines on the summed amount too, counting only approvals', () => {
    const monitor = monitorWith([{ id: 'card-amount', type: 'card-velocity', windowSeconds: 600, maxAmountMinor: 50_000, action: 'decline-59' }]);
    expect(purchase(monitor, { amountMinor: 30_000 })).toBe('00');
    expect(purchase(monitor, { amountMinor: 20_000 }, '51')).toBe('51');
    expect(purchase(monitor, { amountMinor: 20_000 })).toBe('00');
    expect(purchase(monitor, { amountMinor: 1 })).toBe('59');
  });

  it('terminal velocity: counts every card at the terminal', () => {
    const monitor = monitorWith([{ id: 'lane', type: 'terminal-velocity', windowSeconds: 60, maxCount: 2, action: 'decline-59' }]);
    expect(purchase(monitor)).toBe('00');
    expect(purchase(monitor, { pan: OTHER_PAN })).toBe('00');
    expect(purchase(monitor, { pan: '5454540000000039' })).toBe('59');
    expect(purchase(monitor, { tid: 'POS00002' })).toBe('00');
    later(61);
    expect(purchase(monitor)).toBe('00');
  });

  it('amount vs history: needs the minimum history, then declines far above the median', () => {
    const monitor = monitorWith([{ id: 'spike', type: 'amount-vs-history', multiplier: 10, historySize: 5, minHistory: 3, action: 'decline-59' }]);
    expect(purchase(monitor, { amountMinor: 1_000 })).toBe('00');
    expect(purchase(monitor, { amountMinor: 50_000 })).toBe('00');
    expect(purchase(monitor, { amountMinor: 1_200 })).toBe('00');
    // Median of 1,000 / 50,000 / 1,200 is 1,200.
    expect(purchase(monitor, { amountMinor: 12_001 })).toBe('59');
    expect(purchase(monitor, { amountMinor: 12_000 })).toBe('00');
  });

  it('repeated declines: answers 05 once the card has the set number of declines in the window', () => {
    const monitor = monitorWith([{ id: 'declines', type: 'card-declines', windowSeconds: 900, maxDeclines: 3, action: 'decline-05' }]);
    declinedByCardChecks(monitor);
    declinedByCardChecks(monitor, {}, '05');
    expect(purchase(monitor, {}, '51')).toBe('51');
    expect(purchase(monitor)).toBe('05');
    // The monitor's own declines do not feed the rule, so the card recovers when the window slides.
    later(901);
    expect(purchase(monitor)).toBe('00');
  });

  it('many terminals: declines the card at a terminal beyond the limit, counting declined tries too', () => {
    const monitor = monitorWith([{ id: 'spread', type: 'card-terminals', windowSeconds: 600, maxTerminals: 2, action: 'decline-59' }]);
    expect(purchase(monitor, { tid: 'SHOP-A' })).toBe('00');
    declinedByCardChecks(monitor, { tid: 'SHOP-B' });
    expect(purchase(monitor, { tid: 'SHOP-A' })).toBe('00');
    expect(purchase(monitor, { tid: 'SHOP-C' })).toBe('59');
    expect(purchase(monitor, { pan: OTHER_PAN, tid: 'SHOP-C' })).toBe('00');
  });

  it('declines 59 when a 59 rule and a 05 rule both fire, and gives both reasons', () => {
    const monitor = monitorWith([
      { id: 'declines', type: 'card-declines', windowSeconds: 900, maxDeclines: 1, action: 'decline-05' },
      { id: 'spread', type: 'card-terminals', windowSeconds: 600, maxTerminals: 1, action: 'decline-59' },
    ]);
    declinedByCardChecks(monitor, { tid: 'SHOP-A' });
    const assessment = monitor.watch(facts({ tid: 'SHOP-B' })).assess();
    expect(assessment).toMatchObject({ decision: 'decline-59', responseCode: '59' });
    expect(assessment.reasons).toEqual([expect.stringMatching(/^declines: 1 declines in 900s/), expect.stringMatching(/^spread: card used at 2 terminals in 600s \(max 1\)$/)]);
  });
});

describe('risk log and stdout line', () => {
  const rules: RiskRule[] = [{ id: 'card-1-per-10m', type: 'card-velocity', windowSeconds: 600, maxCount: 1, action: 'decline-59' }];

  it('writes one row per purchase with decision, reasons and the final code, and the masked PAN only', () => {
    const monitor = monitorWith(rules);
    purchase(monitor, { stan: '000001' });
    purchase(monitor, { stan: '000002' });
    declinedByCardChecks(monitor, { stan: '000003' }, '54');
    const rows = readRiskLog(db, '2000-01-01');
    expect(rows.map(({ stan, decision, responseCode, maskedPan, reasons }) => ({ stan, decision, responseCode, maskedPan, reasons }))).toEqual([
      { stan: '000001', decision: 'approve', responseCode: '00', maskedPan: '621234******1232', reasons: [] },
      { stan: '000002', decision: 'decline-59', responseCode: '59', maskedPan: '621234******1232', reasons: ['card-1-per-10m: 2 card approvals in 600s with this one (max 1)'] },
      { stan: '000003', decision: 'skipped', responseCode: '54', maskedPan: '621234******1232', reasons: [] },
    ]);
    expect(rows[0]!.cardHash).toBe(hashCard(PAN));
    const dump = JSON.stringify(db.prepare('SELECT * FROM risk_log').all());
    expect(dump).not.toContain(PAN);
  });

  it('prints one line per assessed purchase, with its reasons and never the PAN', () => {
    const monitor = monitorWith(rules);
    purchase(monitor, { stan: '000001' });
    purchase(monitor, { stan: '000002' });
    declinedByCardChecks(monitor, { stan: '000003' });
    expect(lines).toEqual([
      '2026-11-21T10:00:00.000Z risk approve rc=00 pan=621234******1232 tid=POS00001 amount=10000 reasons=-',
      '2026-11-21T10:00:00.000Z risk decline-59 rc=59 pan=621234******1232 tid=POS00001 amount=10000 reasons=card-1-per-10m: 2 card approvals in 600s with this one (max 1)',
    ]);
  });

  it('keeps nothing for a PAN the host did not issue (14)', () => {
    const monitor = monitorWith(rules);
    monitor.watch(facts()).settle({ responseCode: '14' });
    expect(readRiskLog(db, '2000-01-01')).toEqual([]);
  });

  it('writes through the ledger unit of work', () => {
    let units = 0;
    const monitor = openRiskMonitor({ rules: { memory, rules }, connection: { db, atomically: (work) => (units++, work()) }, hashCard, now: () => clock });
    purchase(monitor);
    expect(units).toBe(1);
  });
});

describe('risk monitor after a restart', () => {
  it('rebuilds its windows and histories from the risk log', () => {
    const rules: RiskRule[] = [
      { id: 'card-2-per-10m', type: 'card-velocity', windowSeconds: 600, maxCount: 2, action: 'decline-59' },
      { id: 'lane', type: 'terminal-velocity', windowSeconds: 600, maxCount: 2, action: 'decline-59' },
      { id: 'declines', type: 'card-declines', windowSeconds: 600, maxDeclines: 2, action: 'decline-05' },
      { id: 'spike', type: 'amount-vs-history', multiplier: 2, historySize: 3, minHistory: 2, action: 'decline-59' },
    ];
    const first = monitorWith(rules);
    expect(purchase(first, { amountMinor: 1_000 })).toBe('00');
    later(700);
    expect(purchase(first, { amountMinor: 1_000 })).toBe('00');
    expect(purchase(first, { pan: OTHER_PAN, tid: 'POS00009' })).toBe('00');
    declinedByCardChecks(first, { pan: OTHER_PAN });
    declinedByCardChecks(first, { pan: OTHER_PAN });

    const second = monitorWith(rules);
    // The first approval is outside the window but still in the history: median 1,000.
    expect(second.watch(facts({ amountMinor: 2_001 })).assess().responseCode).toBe('59');
    expect(purchase(second, { amountMinor: 1_000 })).toBe('00');
    expect(purchase(second, { amountMinor: 1_000 })).toBe('59');
    expect(second.watch(facts({ pan: OTHER_PAN, tid: 'POS00009' })).assess().responseCode).toBe('05');
    expect(purchase(second, { pan: '5454540000000039' })).toBe('59');
  });
});

describe('risk monitor memory', () => {
  it('keeps at most maxCards cards and maxTerminals terminals, forgetting the least recently seen', () => {
    const monitor = monitorWith([{ id: 'card-1', type: 'card-velocity', windowSeconds: 600, maxCount: 1, action: 'decline-59' }], { maxCards: 10, maxTerminals: 5, maxEventsPerKey: 8 });
    for (let i = 0; i < 100; i++) purchase(monitor, { pan: `62123456789${String(i).padStart(5, '0')}`, tid: `T${i}` });
    expect(monitor.state.cardCount).toBe(10);
    expect(monitor.state.terminalCount).toBe(5);
    expect(purchase(monitor, { pan: '6212345678900099' })).toBe('59');
    expect(purchase(monitor, { pan: '6212345678900000' })).toBe('00');
  });

  it('keeps at most maxEventsPerKey events per card, and a count rule below that still fires', () => {
    const monitor = monitorWith([{ id: 'card-5', type: 'card-velocity', windowSeconds: 3_600, maxCount: 5, action: 'decline-59' }], { maxCards: 10, maxTerminals: 10, maxEventsPerKey: 6 });
    for (let i = 0; i < 50; i++) declinedByCardChecks(monitor);
    for (let i = 0; i < 5; i++) expect(purchase(monitor)).toBe('00');
    expect(monitor.state.cardEvents(hashCard(PAN), clock.getTime())).toHaveLength(6);
    expect(purchase(monitor)).toBe('59');
  });
});
