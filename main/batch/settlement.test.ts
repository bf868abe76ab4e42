/**
 * End of day against the real host over TCP: in balance at the first close, and out of balance
 * (the host holds a posting the station never journaled) → batch upload → in balance.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { purchaseFor } from '../../bank/purchase-fixture.ts';
import { startHost, type RunningHost } from '../../bank/start-host.ts';
import { getText } from '../../payments/iso8583/message.ts';
import { deckCard, rigEnrolment, startRig, type Rig } from '../test-support/station-rig.ts';
import { hostAvailableMinor, hostTransactions } from '../test-support/host-ledger.ts';
import { startTcpProxy } from '../test-support/tcp-proxy.ts';

const TID = 'POS00001';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(options: { viaProxy?: boolean } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'settlement-'));
  const hostLog: string[] = [];
  const host: RunningHost = await startHost({ dataDir: join(dataDir, 'bank'), port: 0, log: (line) => hostLog.push(line), enrolStation: rigEnrolment(dataDir) });
  cleanups.push(() => host.close());
  const proxy = options.viaProxy ? await startTcpProxy({ host: host.host, port: host.port }) : undefined;
  if (proxy) cleanups.push(() => proxy.close());
  const rig: Rig = await startRig({ host: host.host, port: proxy?.port ?? host.port, dataDir, responseTimeoutMs: 2000 });
  cleanups.push(() => rig.stop());
  await rig.waitUntilUp();
  await rig.signInAndOpenShift();
  return { host, hostLog, rig, proxy };
}

const approved = async (rig: Rig, cardId: string, pin: string, skus: string[]) => {
  const { final } = await rig.cardSale(cardId, [pin], skus);
  expect(final.step).toBe('approved');
  return rig.lastLeg();
};

describe('settlement', () => {
  it('settles an in-balance batch, closes it into a read-only report and opens the next batch number', async () => {
    const { host, hostLog, rig } = await setUp();
    const purchase = await approved(rig, 'unionpay-debit-approved', '123456', ['COF-001', 'BAO-001']); // 18.00
    await approved(rig, 'visa-credit', '1234', ['HOM-002']); // 39.00
    await rig.voidLeg(await approved(rig, 'mastercard-2series-credit', '2468', ['SNK-002'])); // 12.00, voided
    await rig.cardSale('jcb-credit', ['0000', '0000', '0000'], ['TEA-001']); // 55, 55, 75: one declined tender
    await rig.refundLeg(purchase, 300, 'unionpay-debit-approved');
    await rig.balanceInquiry('visa-credit', '1234');

    const preview = rig.services.settlement.openBatchReport();
    const report = await rig.settle();
    expect(report).toMatchObject({
      batchNumber: '000001',
      settlement: 'in_balance',
      closedAt: expect.any(String),
      totals: {
        debits: { count: 2, amount: { amountMinor: 5700, currency: 'CNY' } },
        credits: { count: 1, amount: { amountMinor: 300, currency: 'CNY' } },
        net: { sign: 'D', amount: { amountMinor: 5400, currency: 'CNY' } },
      },
      byType: { sale: { count: 2 }, refund: { count: 1 }, void: { count: 1, amount: { amountMinor: 1200 } } },
    });
    expect(report.totals).toEqual(preview.totals);
    expect(report.byScheme).toEqual([
      { scheme: 'unionpay', sales: { count: 1, amount: { amountMinor: 1800, currency: 'CNY' } }, refunds: { count: 1, amount: { amountMinor: 300, currency: 'CNY' } } },
      { scheme: 'visa', sales: { count: 1, amount: { amountMinor: 3900, currency: 'CNY' } }, refunds: { count: 0, amount: { amountMinor: 0, currency: 'CNY' } } },
    ]);
    // Card tenders by how they ended: the 55, 55, 75 is one declined tender, never three declined sales.
    expect(Object.fromEntries(report.byResult.map((row) => [row.result, row.count]))).toEqual({ approved: 2, voided: 1, declined: 1 });

    // The 0500 carried the terminal's totals; the host agreed at once (no upload) and settled its side.
    const close = hostLog.find((line) => / 0500 stan=\d{6} tid=POS00001 .*rc=00/.test(line));
    expect(close).toBeDefined();
    expect(hostLog.some((line) => line.includes(' 0320 '))).toBe(false);
    expect(hostTransactions(host.ledgerPath, TID).filter((transaction) => transaction.state === 'posted')).toHaveLength(3);

    // Batch 000002 is open; the closed one's transactions can no longer be voided.
    expect(rig.services.journal.batches.open().batchNumber).toBe('000002');
    await approved(rig, 'visa-credit', '1234', ['WAT-001']);
    expect(rig.lastLeg().batchNumber).toBe('000002');
    expect(rig.services.journal.batches.closed(5)).toEqual([report]);
  });

  it('out of balance (the host holds a posting the station lacks) → batch upload → in balance: the host adopts the station record', async () => {
    const { host, hostLog, rig } = await setUp();
    const purchase = await approved(rig, 'unionpay-debit-approved', '123456', ['COF-002']); // 18.00
    await rig.refundLeg(purchase, 800, 'unionpay-debit-approved');
    await approved(rig, 'visa-credit', '1234', ['SNK-003']); // 9.90

    // A purchase the host approved for this terminal that never reached the station's journal.
    const stray = deckCard('jcb-credit');
    const before = hostAvailableMinor(host.ledgerPath, stray.id);
    const answer = await rig.services.acquirer.port.request(purchaseFor(stray, { amountMinor: 4321, stan: '990001', terminalId: TID }));
    expect(getText(answer, 39)).toBe('00');
    expect(hostAvailableMinor(host.ledgerPath, stray.id)).toBe(before - 4321);

    const report = await rig.settle();
    expect(report).toMatchObject({ batchNumber: '000001', settlement: 'in_balance_after_upload', totals: { debits: { count: 2 }, credits: { count: 1 } } });

    const closes = hostLog.filter((line) => / 0500 stan=\d{6} /.test(line));
    expect(closes).toHaveLength(2);
    expect(hostLog.filter((line) => / 0320 stan=\d{6} .*rc=00/.test(line))).toHaveLength(3);
    // Adopting the upload reversed the stray posting: the jcb card has its money back.
    expect(hostAvailableMinor(host.ledgerPath, stray.id)).toBe(before);
    expect(hostTransactions(host.ledgerPath, TID).find((transaction) => transaction.stan === '990001')).toMatchObject({ state: 'reversed' });
    expect(rig.services.journal.batches.open().batchNumber).toBe('000002');
  });

  it('delivers queued reversals before it settles, and refuses to settle while the link is down', async () => {
    const { hostLog, rig, proxy } = await setUp({ viaProxy: true });
    await approved(rig, 'visa-credit', '1234', ['TEA-001']);
    const leg = await approved(rig, 'mastercard-2series-credit', '2468', ['HOM-003']);

    proxy!.cut();
    // The void is the cashier's decision: it is kept and sent when the host can be reached.
    expect(await rig.voidLeg(leg)).toMatchObject({ sale: { status: 'voided' }, tenders: [{ fate: 'void_pending' }] });
    expect(rig.services.acquirer.saf.pending).toBe(1);
    await expect(rig.settle()).rejects.toThrow(/link is down/);
    expect(rig.services.journal.batches.open().batchNumber).toBe('000001');

    proxy!.restore();
    const report = await rig.settle();
    expect(rig.services.journal.legs.row(leg.id)?.status).toBe('voided');
    expect(rig.services.journal.sales.ofTender(leg.tenderId!)?.tenders[0]?.state).toBe('voided');
    expect(report).toMatchObject({ settlement: 'in_balance', totals: { debits: { count: 1 } }, byType: { void: { count: 1 } } });
    // The first try went out as the link was being reset, so the one that got through may be its 0401 repeat.
    const voidAt = hostLog.findIndex((line) => / 040[01] .*rc=00/.test(line));
    const closeAt = hostLog.findIndex((line) => line.includes(' 0500 '));
    expect(voidAt).toBeGreaterThanOrEqual(0);
    expect(voidAt).toBeLessThan(closeAt);
  });
});
