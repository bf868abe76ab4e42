import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, type PendingTransaction } from './journal.ts';

const pending = (paymentId: string, stan: string): PendingTransaction => ({
  paymentId,
  kind: 'purchase',
  amount: { amountMinor: 1800, currency: 'CNY' },
  maskedPan: '621234******1232',
  scheme: 'unionpay',
  entryMode: '021',
  terminalId: 'POS00001',
  stan,
  transmittedAt: '1121102030',
});

describe('journal', () => {
  it('allocates STANs that survive a restart and wrap after 999999', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'journal.sqlite');
    const first = new Journal(path);
    expect([first.nextStan(), first.nextStan()]).toEqual(['000001', '000002']);
    first.close();
    const again = new Journal(path);
    expect(again.nextStan()).toBe('000003');
    again.close();
  });

  it('writes a row before the request and completes it with the answer', () => {
    const journal = new Journal(':memory:', () => new Date('2026-11-21T10:20:30Z'));
    const id = journal.recordPending(pending('p1', '000001'));
    expect(journal.pending().map((entry) => entry.id)).toEqual([id]);
    journal.complete(id, { status: 'approved', responseCode: '00', approvalCode: '123456', rrn: '632510000001' });
    expect(journal.pending()).toEqual([]);
    expect(journal.recent(5)).toEqual([
      {
        id,
        createdAt: '2026-11-21T10:20:30.000Z',
        kind: 'purchase',
        amount: { amountMinor: 1800, currency: 'CNY' },
        maskedPan: '621234******1232',
        scheme: 'unionpay',
        stan: '000001',
        status: 'approved',
        responseCode: '00',
        approvalCode: '123456',
        rrn: '632510000001',
      },
    ]);
    expect(() => journal.complete(id, { status: 'declined' })).toThrow(/not pending/);
  });

  it('refuses to store anything that is not a masked PAN', () => {
    const journal = new Journal(':memory:');
    expect(() => journal.recordPending({ ...pending('p2', '000002'), maskedPan: '6212345678901232' })).toThrow(/CHECK constraint/);
  });

  it('keeps no full PAN on disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const journal = new Journal(join(dir, 'journal.sqlite'));
    journal.complete(journal.recordPending(pending('p3', '000003')), { status: 'approved', responseCode: '00', approvalCode: 'A1B2C3', rrn: '632510000002' });
    journal.close();
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file)).toString('latin1')).not.toContain('6212345678901232');
  });
});
