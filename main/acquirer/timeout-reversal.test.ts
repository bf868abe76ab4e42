/**
 * The timeout reversal, against the real host in its own process: a 0200 that gets no answer is
 * never sent again; a 0400 (reason 68, same STAN) goes out once the link is back, repeats as 0401
 * only if a try went unanswered, and the host's balance ends exactly where it was before the sale.
 * The host is stalled (SIGSTOP), killed (SIGKILL) and restarted on the same data dir and port; the
 * station is restarted with its queue non-empty, and after a crash that left a row pending.
 * No assertion depends on how long anything takes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { purchaseFor } from '../../bank/purchase-fixture.ts';
import { connectIsoChannel } from '../../payments/iso8583/channel.ts';
import { getText } from '../../payments/iso8583/message.ts';
import { IsoMux } from '../../payments/iso8583/mux.ts';
import { createPackager } from '../../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../../payments/iso8583/profile.ts';
import { startChildProcessHost, type ChildProcessHost } from '../host/child-process-host.ts';
import { Journal } from '../journal/journal.ts';
import { cardTenderIn } from '../test-support/journal-fixtures.ts';
import { deckCard, HOST_ENTRY, rigHostLink, startRig, type Rig } from '../test-support/station-rig.ts';
import { linkSecurity } from './link-security.ts';
import { hostAccountsReady, hostAvailableMinor, hostTransactions } from '../test-support/host-ledger.ts';
import { startTcpProxy, type TcpProxy } from '../test-support/tcp-proxy.ts';

const TID = 'POS00001';
const CARD = 'unionpay-debit-approved';
/** Short, so a test waits little for the timeout; any value would do, nothing asserts on time. */
const RESPONSE_TIMEOUT_MS = 1500;

interface Setup {
  readonly dataDir: string;
  readonly bankDir: string;
  readonly hostLog: string[];
  host: ChildProcessHost;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<Setup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'timeout-reversal-'));
  const bankDir = join(dataDir, 'bank');
  const hostLog: string[] = [];
  const setup: Setup = { dataDir, bankDir, hostLog, host: await startHost(bankDir, 0, hostLog) };
  cleanups.push(async () => {
    // A stopped process would never act on the SIGTERM that stop() sends.
    resume(setup.host);
    await setup.host.stop();
  });
  return setup;
}

function startHost(bankDir: string, port: number, hostLog: string[]): Promise<ChildProcessHost> {
  return startChildProcessHost({ entry: HOST_ENTRY, dataDir: bankDir, port, link: rigHostLink(dirname(bankDir)), log: (line) => hostLog.push(line) });
}

async function rigFor(setup: Setup, port = setup.host.port): Promise<Rig> {
  const rig = await startRig({ host: setup.host.host, port, dataDir: setup.dataDir, responseTimeoutMs: RESPONSE_TIMEOUT_MS });
  cleanups.push(() => rig.stop());
  await rig.signInAndOpenShift();
  return rig;
}

function resume(host: ChildProcessHost): void {
  try {
    process.kill(host.pid, 'SIGCONT');
  } catch {
    // Already gone.
  }
}

const ledger = (setup: Setup) => join(setup.bankDir, 'ledger.sqlite');
/** The newest purchase leg. */
const purchaseOf = (rig: Rig) => {
  const leg = rig.lastLeg();
  return leg.kind === 'purchase' ? leg : rig.services.journal.legs.row(leg.originalId!)!;
};
/** Host log lines for one MTI and STAN: what the host received and answered. */
const lines = (setup: Setup, mti: string, stan: string) => setup.hostLog.filter((line) => line.includes(` ${mti} stan=${stan} `));

describe('timeout reversal', () => {
  it('a 0200 the stalled host (SIGSTOP) leaves unanswered is reversed exactly once when it wakes, and nobody is charged', async () => {
    const setup = await setUp();
    const rig = await rigFor(setup);
    await rig.waitUntilUp();
    const before = hostAvailableMinor(ledger(setup), CARD);

    // Stalled before the 0200 leaves: the request waits, unread, in the host's socket.
    rig.onNextStep('authorizing', () => process.kill(setup.host.pid, 'SIGSTOP'));
    const { final, saleId } = await rig.cardSale(CARD, ['123456'], ['COF-002']);
    expect(final).toMatchObject({ step: 'failed', failure: 'host_timeout' });
    const sale = purchaseOf(rig);
    expect(sale.status).toBe('reversal_pending');
    expect(rig.services.acquirer.status()).toEqual({ state: expect.not.stringMatching(/^up$/), transport: 'tls', pendingReversals: 1 });
    // The tender failed, nobody was charged; the cashier gave the sale up.
    expect(rig.services.journal.sales.load(saleId)).toMatchObject({ status: 'cancelled', tenders: [{ state: 'failed' }] });

    resume(setup.host);
    await rig.waitForLeg(sale.id, 'reversed');
    await vi.waitUntil(() => lines(setup, '0400', sale.stan).length > 0);

    // The host woke, approved the buffered 0200 (its answer went nowhere), then took the reversal.
    expect(hostTransactions(ledger(setup), TID).filter((transaction) => transaction.stan === sale.stan)).toEqual([
      expect.objectContaining({ kind: 'purchase', amount_minor: 1800, state: 'reversed', reversal_reason: '68' }),
    ]);
    expect(hostAvailableMinor(ledger(setup), CARD)).toBe(before);
    expect(lines(setup, '0200', sale.stan)).toHaveLength(1);
    expect(lines(setup, '0400', sale.stan)).toEqual([expect.stringMatching(/rc=00 .*reversed purchase/)]);
    expect(lines(setup, '0401', sale.stan)).toEqual([]);
    expect(rig.services.journal.legs.row(sale.id + 1)).toMatchObject({ kind: 'reversal', reversalReason: '68', status: 'approved', stan: sale.stan });
    expect(rig.services.acquirer.status()).toEqual({ state: 'up', transport: 'tls', pendingReversals: 0 });
  });

  it('the host approves, crashes (kill -9) before its answer is out, and is restarted on the same data dir and port: the hold is reversed', async () => {
    const setup = await setUp();
    const proxy: TcpProxy = await startTcpProxy({ host: setup.host.host, port: setup.host.port });
    cleanups.push(() => proxy.close());
    const rig = await rigFor(setup, proxy.port);
    await rig.waitUntilUp();
    const before = hostAvailableMinor(ledger(setup), CARD);

    // The 0200 reaches the host; its 0210 is held back, and the host dies once the hold is on its ledger.
    rig.onNextStep('authorizing', () => proxy.holdReplies());
    const sale = rig.cardSale(CARD, ['123456'], ['DUM-001']).then(({ final }) => final);
    await vi.waitUntil(() => hostTransactions(ledger(setup), TID).some((transaction) => transaction.amount_minor === 2290), { timeout: 10_000 });
    process.kill(setup.host.pid, 'SIGKILL');
    proxy.cut();
    expect(await sale).toMatchObject({ step: 'failed', failure: 'host_timeout' });
    const row = purchaseOf(rig);
    expect(row.status).toBe('reversal_pending');
    expect(hostAvailableMinor(ledger(setup), CARD)).toBe(before - 2290);

    setup.host = await startHost(setup.bankDir, setup.host.port, setup.hostLog);
    proxy.resume();
    proxy.restore();
    await rig.waitForLeg(row.id, 'reversed');
    expect(hostAvailableMinor(ledger(setup), CARD)).toBe(before);
    expect(hostTransactions(ledger(setup), TID).find((transaction) => transaction.stan === row.stan)).toMatchObject({ state: 'reversed', reversal_reason: '68' });
    await vi.waitUntil(() => lines(setup, '0400', row.stan).length > 0);
    expect(lines(setup, '0200', row.stan)).toHaveLength(1);
    expect(lines(setup, '0400', row.stan)).toEqual([expect.stringMatching(/rc=00 .*reversed purchase/)]);
    expect(lines(setup, '0401', row.stan)).toEqual([]);
  });

  it('a station restarted with its queue non-empty sends the reversal once the host is back', async () => {
    const setup = await setUp();
    const first = await rigFor(setup);
    await first.waitUntilUp();
    const before = hostAvailableMinor(ledger(setup), CARD);
    first.onNextStep('authorizing', () => process.kill(setup.host.pid, 'SIGSTOP'));
    expect((await first.cardSale(CARD, ['123456'], ['SNK-004'])).final).toMatchObject({ failure: 'host_timeout' });
    const saleId = purchaseOf(first).id;
    expect(first.services.acquirer.saf.pending).toBe(1);
    await first.stop();
    cleanups.pop();

    // While the station is off, the host wakes and approves the 0200 it had buffered.
    resume(setup.host);
    await vi.waitUntil(() => hostAvailableMinor(ledger(setup), CARD) === before - 1680, { timeout: 10_000 });

    const second = await rigFor(setup);
    await second.waitForLeg(saleId, 'reversed');
    const stan = second.services.journal.legs.row(saleId)!.stan;
    expect(hostAvailableMinor(ledger(setup), CARD)).toBe(before);
    await vi.waitUntil(() => lines(setup, '0400', stan).length > 0);
    expect(lines(setup, '0400', stan)).toHaveLength(1);
    expect(second.services.acquirer.saf.pending).toBe(0);
  });

  it('a sale a crash left pending (the host may have approved it) is reversed at start-up, and its tender ends failed', async () => {
    const setup = await setUp();
    const card = deckCard(CARD);
    await hostAccountsReady(ledger(setup), CARD);
    const before = hostAvailableMinor(ledger(setup), CARD);

    // What a station that crashed right after sending its 0200 leaves behind: a pending row and a host that approved.
    const journal = new Journal(join(setup.dataDir, 'journal.sqlite'));
    const stan = journal.nextStan();
    const request = purchaseFor(card, { amountMinor: 1200, stan, terminalId: TID });
    const tenderId = cardTenderIn(journal);
    const id = journal.legs.record({
      tenderId,
      kind: 'purchase',
      mti: '0200',
      amount: { amountMinor: 1200, currency: 'CNY' },
      maskedPan: '621234******1232',
      scheme: 'unionpay',
      entryMode: '021',
      terminalId: TID,
      merchantId: '898310048160001',
      processingCode: '000000',
      stan,
      transmittedAt: getText(request, 7)!,
      localTime: getText(request, 12)!,
      localDate: getText(request, 13)!,
    });
    // The crashed station's own connection: its credentials, which the host enrolled at start.
    const tls = linkSecurity({ transport: 'tls', dataDir: setup.dataDir, terminalId: TID }).credentials!();
    const channel = await connectIsoChannel({ host: setup.host.host, port: setup.host.port, packager: createPackager(PROFILE_FIELDS), tls });
    expect(getText(await new IsoMux(channel).request(request, { timeoutMs: 10_000 }), 39)).toBe('00');
    channel.destroy();
    journal.close();
    expect(hostAvailableMinor(ledger(setup), CARD)).toBe(before - 1200);

    const rig = await rigFor(setup);
    await rig.waitForLeg(id, 'reversed');
    expect(hostAvailableMinor(ledger(setup), CARD)).toBe(before);
    expect(rig.log).toContain(`journal: purchase ${id} (STAN ${stan}, 621234******1232) was interrupted before the host answered`);
    // The sale stays the till's current one, its tender failed: the cashier finishes it another way or cancels it.
    expect(rig.services.sales.current()).toMatchObject({ status: 'tendering', tenders: [{ id: tenderId, state: 'failed' }] });
  });
});
