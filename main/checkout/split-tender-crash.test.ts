/**
 * kill -9 at each point of a split-tender sale (54.00: 10.00 cash, 20.00 on one card, the rest on
 * another), over real TCP to the host in its own process. The station runs in a child process
 * (test-support/split-sale-station.ts) and is killed there; then it is started again on the same data
 * directory, the way the product starts (createStation), and must leave nothing charged without a
 * sale that shows it:
 *
 *  - an approved card leg is kept in the sale, which is shown partly paid — finish or cancel;
 *  - a leg the host may have approved but whose answer never came is reversed (0400 reason 68);
 *  - finishing pays the rest; cancelling voids the approved card legs (0400 reason 17) at the host.
 *
 * After every point, every posting the host holds for the terminal is matched by an approved card
 * leg of a sale the station shows, and every reversed one by a reversed or voided leg. Each point
 * has a host and a station data directory of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stationTlsDir } from '../acquirer/link-security.ts';
import { startChildProcessHost, type ChildProcessHost } from '../host/child-process-host.ts';
import { hostAccountsReady, hostTransactions } from '../test-support/host-ledger.ts';
import { HOST_ENTRY, REPO_ROOT, rigHostLink, startRig, type Rig } from '../test-support/station-rig.ts';
import { startTcpProxy, type TcpProxy } from '../test-support/tcp-proxy.ts';

const TID = 'POS00001';
let root: string;
let host: ChildProcessHost;
let proxy: TcpProxy;
const ledger = () => join(root, 'bank', 'ledger.sqlite');

// A host of its own for each point, so its ledger holds that station's postings only.
beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'split-crash-'));
  // The host enrols one station (its credentials under root); each point's station carries a copy of them.
  host = await startChildProcessHost({ entry: HOST_ENTRY, dataDir: join(root, 'bank'), port: 0, link: rigHostLink(root), log: () => undefined });
  await hostAccountsReady(ledger(), 'unionpay-debit-approved');
  proxy = await startTcpProxy({ host: host.host, port: host.port });
});

afterEach(async () => {
  await proxy.close();
  await host.stop();
});

/** A station data directory of its own for one point, with the station's TLS credentials in it. */
function stationDir(prefix: string): string {
  const dataDir = mkdtempSync(join(root, prefix));
  cpSync(stationTlsDir(root), stationTlsDir(dataDir), { recursive: true });
  return dataDir;
}

/** The station child: its STEP lines, a way to let it go on, and the kill. */
function stationChild(dataDir: string) {
  const child: ChildProcess = spawn(process.execPath, [join(REPO_ROOT, 'main', 'test-support', 'split-sale-station.ts'), '127.0.0.1', String(proxy.port), dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const steps: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => line.startsWith('STEP ') && steps.push(line.slice(5)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    steps,
    async reach(step: string | RegExp): Promise<string> {
      await vi.waitUntil(() => steps.some((seen) => (typeof step === 'string' ? seen === step : step.test(seen))), { timeout: 20_000, interval: 20 });
      return steps.find((seen) => (typeof step === 'string' ? seen === step : step.test(seen)))!;
    },
    go: () => child.stdin!.write('go\n'),
    async kill(): Promise<void> {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The station again on the same data directory, with a cashier signed in. */
async function restart(dataDir: string): Promise<Rig> {
  const rig = await startRig({ host: '127.0.0.1', port: proxy.port, dataDir, responseTimeoutMs: 5000 });
  await rig.waitUntilUp();
  await rig.signInAndOpenShift();
  return rig;
}

/** Waits until the host has posted a purchase of this amount for the terminal: it acted on the 0200. */
const hostPosted = (amountMinor: number) => vi.waitUntil(() => hostTransactions(ledger(), TID).some((transaction) => transaction.kind === 'purchase' && transaction.amount_minor === amountMinor), { timeout: 10_000 });

/** Nothing charged without a sale that shows it; nothing reversed at the host that the station still counts. */
function expectHostAndStationAgree(rig: Rig): void {
  const { journal } = rig.services;
  for (const posting of hostTransactions(ledger(), TID).filter((transaction) => transaction.kind === 'purchase')) {
    const leg = journal.legs.purchaseByRrn(posting.rrn);
    if (posting.state === 'reversed') {
      // The host undid it: the station either never heard of it (its answer was lost) or undid it too.
      if (leg) expect(['reversed', 'voided', 'reversal_pending']).toContain(leg.status);
      continue;
    }
    expect(leg, `host posting ${posting.rrn} (${posting.amount_minor}) must be a leg the station journaled`).toBeDefined();
    expect(leg!.status).toBe('approved');
    const sale = journal.sales.ofTender(leg!.tenderId!)!;
    expect(['tendering', 'paid', 'partly_refunded']).toContain(sale.status);
    expect(sale.tenders.find((tender) => tender.id === leg!.tenderId)?.state).toBe('approved');
  }
}

describe('kill -9 during a split-tender sale', () => {
  it('after the cash part: the sale comes back partly paid, and is finished by card', async () => {
    const dataDir = stationDir('cash-');
    const station = stationChild(dataDir);
    await station.reach('rung?');
    station.go();
    await station.reach('cash?');
    await station.kill();

    const rig = await restart(dataDir);
    const sale = rig.services.sales.current()!;
    expect(sale).toMatchObject({ status: 'tendering', paid: { amountMinor: 1000 }, due: { amountMinor: 4400 } });
    expect(await rig.payByCard('jcb-credit', ['1234'])).toMatchObject({ step: 'approved' });
    expect(rig.services.journal.sales.load(sale.id)?.status).toBe('paid');
    expectHostAndStationAgree(rig);
    await rig.stop();
  });

  it('while the first card\'s answer is on its way: the leg is reversed at restart, the cash kept; cancelling hands the cash back', async () => {
    const dataDir = stationDir('card-a-flight-');
    const station = stationChild(dataDir);
    await station.reach('rung?');
    station.go();
    await station.reach('cash?');
    station.go();
    await station.reach(/^authorizing /);
    proxy.holdReplies();
    await hostPosted(2000);
    await station.kill();
    proxy.resume();

    const rig = await restart(dataDir);
    const sale = rig.services.sales.current()!;
    const cardTender = sale.tenders.find((tender) => tender.type === 'card')!;
    expect(cardTender.state).toBe('failed');
    await rig.waitForLeg(cardTender.legs[0]!.id, 'reversed');
    expect(hostTransactions(ledger(), TID).find((transaction) => transaction.amount_minor === 2000)).toMatchObject({ state: 'reversed', reversal_reason: '68' });
    expect(rig.services.sales.current()).toMatchObject({ status: 'tendering', paid: { amountMinor: 1000 } });
    const cancelled = await rig.call('cancelSale', {});
    expect(cancelled.tenders.map((tender) => [tender.type, tender.fate])).toEqual([['cash', 'returned_cash']]);
    expectHostAndStationAgree(rig);
    await rig.stop();
  });

  it('after the first card is approved: the leg is kept in the partly paid sale; cancelling voids it at the host', async () => {
    const dataDir = stationDir('card-a-approved-');
    const station = stationChild(dataDir);
    for (const point of ['rung?', 'cash?']) {
      await station.reach(point);
      station.go();
    }
    await station.reach('card-a approved?');
    await station.kill();

    const rig = await restart(dataDir);
    const sale = rig.services.sales.current()!;
    expect(sale).toMatchObject({ status: 'tendering', paid: { amountMinor: 3000 }, due: { amountMinor: 2400 } });
    expectHostAndStationAgree(rig);
    const cancelled = await rig.call('cancelSale', {});
    expect(cancelled.tenders.map((tender) => [tender.type, tender.fate])).toEqual([
      ['cash', 'returned_cash'],
      ['card', 'voided'],
    ]);
    const rrn = cancelled.sale.tenders.find((tender) => tender.type === 'card')!.card!.rrn!;
    expect(hostTransactions(ledger(), TID).find((transaction) => transaction.rrn === rrn)).toMatchObject({ state: 'reversed', reversal_reason: '17' });
    expectHostAndStationAgree(rig);
    await rig.stop();
  });

  it('while the second card\'s answer is on its way: that leg is reversed, the first kept, and the sale is finished another way', async () => {
    const dataDir = stationDir('card-b-flight-');
    const station = stationChild(dataDir);
    for (const point of ['rung?', 'cash?', 'card-a approved?']) {
      await station.reach(point);
      station.go();
    }
    await vi.waitUntil(() => station.steps.filter((seen) => seen.startsWith('authorizing ')).length === 2, { timeout: 20_000, interval: 20 });
    proxy.holdReplies();
    await hostPosted(2400);
    await station.kill();
    proxy.resume();

    const rig = await restart(dataDir);
    const sale = rig.services.sales.current()!;
    expect(sale.tenders.map((tender) => [tender.type, tender.state])).toEqual([
      ['cash', 'approved'],
      ['card', 'approved'],
      ['card', 'failed'],
    ]);
    await rig.waitForLeg(sale.tenders[2]!.legs[0]!.id, 'reversed');
    await rig.call('startCashTender', { receivedMinor: 5000 });
    await rig.services.tenders.whenIdle();
    expect(rig.services.journal.sales.load(sale.id)).toMatchObject({ status: 'paid', paid: { amountMinor: 5400 } });
    expectHostAndStationAgree(rig);
    await rig.stop();
  });
});
