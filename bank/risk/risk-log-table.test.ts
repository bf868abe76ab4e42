import { describe, expect, it } from 'vitest';
import type { RiskLogEntry } from './risk-log.ts';
import { formatRiskLogTable } from './risk-log-table.ts';

const entry = (overrides: Partial<RiskLogEntry>): RiskLogEntry => ({
  at: '2026-11-21T10:00:00.000Z',
  cardHash: 'c0ffee',
  maskedPan: '621234******1232',
  tid: 'POS00001',
  stan: '000001',
  amountMinor: 12_345,
  currency: '156',
  decision: 'approve',
  responseCode: '00',
  reasons: [],
  ...overrides,
});

describe('formatRiskLogTable', () => {
  it('aligns the columns, formats amounts and counts decisions', () => {
    const table = formatRiskLogTable([
      entry({}),
      entry({ stan: '000002', amountMinor: 5, decision: 'decline-59', responseCode: '59', reasons: ['card-velocity-10m: 11 card approvals in 600s with this one (max 10)'] }),
      entry({ stan: '000003', decision: 'skipped', responseCode: '55' }),
    ]);
    expect(table).toBe(
      [
        'at                        decision    rc  pan               tid       stan        amount  reasons',
        '2026-11-21T10:00:00.000Z  approve     00  621234******1232  POS00001  000001  123.45 CNY  -',
        '2026-11-21T10:00:00.000Z  decline-59  59  621234******1232  POS00001  000002    0.05 CNY  card-velocity-10m: 11 card approvals in 600s with this one (max 10)',
        '2026-11-21T10:00:00.000Z  skipped     55  621234******1232  POS00001  000003  123.45 CNY  -',
        '3 purchases, 2 assessed, 1 declined by the risk rules',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to show', () => {
    expect(formatRiskLogTable([])).toBe('no risk log entries\n');
  });
});
