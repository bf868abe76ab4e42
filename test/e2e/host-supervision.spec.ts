/**
 * The bundled host killed (SIGKILL) in the middle of the station's work, and restarted by the
 * station itself: the running station (npm run station, its own process, virtual devices) sells
 * through its pages' sockets; the host is killed while a sale's card tender is authorizing, and
 * most sales are voided (a supervisor approving) while it is gone. Once it is back, the next sale is approved. The checkout shows the link down, then up; the station's log says why;
 * every reversal the station queued goes out once the host is back; and the host's ledger file
 * shows each one applied exactly once: every voided or reversed sale is reversed there, every
 * approved one holds, and the card's balance is what those holds leave, to the fen.
 *
 * Nothing here races the supervisor's restart delay: the host stays gone for exactly as long as the
 * spec needs, because the spec takes the host's ledger lock the moment the host dies (the station
 * frozen with SIGSTOP for those few milliseconds, so it cannot restart the host first) and lets go
 * only once the voids are done. Meanwhile a restarted host waits for its ledger, as it would behind
 * a host that has not let go yet, and then comes back on the same port.
 *
 * Then the host's port is taken by another program while the host is down (review N12): the
 * station's next restart moves the host to a free port, its acquirer link follows, and it sells.
 */
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { LEDGER_LOCK_FILE } from '../../bank/ledger/ledger-lock.ts';
import { tryAcquireLock, type HeldLock } from '../../common-node/exclusive-lock.ts';
import { startBrowserStationProcess, type BrowserStationProcess } from './fixtures/browser-station-process.ts';
import { cardLegs, sellOverSockets, signInWithShift, StationSocket, valueOf, voidSale } from './fixtures/station-socket.ts';
import { expect, test } from './fixtures/station.ts';

const CARD = { id: 'unionpay-debit-approved', pin: '123456' };
const TID = 'POS00001';
const SKUS = ['COF-001', 'BAO-001', 'TEA-001', 'SNK-004'];

interface LedgerTransaction {
  readonly stan: string;
  readonly rrn: string;
  readonly state: string;
  readonly amount_minor: number;
  readonly reversal_reason: string | null;
}

/** The host's ledger file, read directly (read-only, beside the running host). */
function ledger(station: BrowserStationProcess) {
  const db = new DatabaseSync(join(station.dataDir, 'bank', 'ledger.sqlite'), { readOnly: true });
  try {
    return {
      available: (db.prepare('SELECT available_minor FROM accounts WHERE card_id = ?').get(CARD.id) as { available_minor: number } | undefined)?.available_minor,
      purchases: db.prepare("SELECT stan, rrn, state, amount_minor, reversal_reason FROM transactions WHERE tid = ? AND kind = 'purchase' ORDER BY id").all(TID) as unknown as LedgerTransaction[],
    };
  } finally {
    db.close();
  }
}

/** Listens on the host's port as soon as it is free, dropping whatever connects (the acquirer link finds no host there). */
async function holdPort(port: number): Promise<Server> {
  for (;;) {
    const server = createServer((socket) => socket.destroy());
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      return server;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      // The dying host's socket is not closed yet: try again (the station is frozen, so nothing else takes it).
      await sleep(10);
    }
  }
}

/**
 * Kills the host and runs `take` (take its ledger, or its port) before the station can start it
 * again: the station is frozen (SIGSTOP) from just before the kill until `take` has it.
 */
async function killHostAndTake<T>(station: BrowserStationProcess, hostPid: number, take: () => Promise<T>): Promise<T> {
  process.kill(station.pid, 'SIGSTOP');
  try {
    process.kill(hostPid, 'SIGKILL');
    return await take();
  } finally {
    process.kill(station.pid, 'SIGCONT');
  }
}

/** Takes the host's ledger lock as soon as the killed host's is gone (the station is frozen, so nothing else takes it). */
async function holdLedger(station: BrowserStationProcess): Promise<HeldLock> {
  for (;;) {
    const attempt = tryAcquireLock(join(station.dataDir, 'bank', LEDGER_LOCK_FILE));
    if (attempt.acquired) return attempt.lock;
    await sleep(10);
  }
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

test.describe('the bundled host under supervision', () => {
  test.skip(({ target }) => target !== 'browser', 'drives the browser-target station process; the Electron utilityProcess has the same supervisor, tested through the child-process host');

  test('killed mid-load, it is restarted by the station, the link goes down then up, and every reversal is applied once in its ledger', async ({ stationBrowser }) => {
    // Six sales, a restart and a ledger audit on two shared cores: the bound is generous, the waits are on events.
    test.setTimeout(240_000);
    const station = await startBrowserStationProcess();
    const context = await stationBrowser?.newContext();
    let heldPort: Server | undefined;
    let heldLedger: HeldLock | undefined;
    try {
      const started = /^bundled host started \(pid (\d+)\), listening on 127\.0\.0\.1:(\d+)$/.exec(station.output.find((line) => line.startsWith('bundled host started')) ?? '');
      const [hostPid, hostPort] = [Number(started?.[1]), Number(started?.[2])];
      expect(hostPid).toBeGreaterThan(0);
      expect(hostPort).toBeGreaterThan(0);
      const checkout = await StationSocket.open(station.checkoutUrl, 'pos');
      const simulator = await StationSocket.open(station.simulatorUrl as string, 'sim');
      await expect.poll(async () => valueOf(await checkout.invoke<{ state: string }>('getLinkStatus')).state, { timeout: 60_000 }).toBe('up');
      await signInWithShift(checkout);

      // The checkout page itself, recording every state its link status shows.
      const page = await context?.newPage();
      if (!page) throw new Error('the browser target has a browser');
      await page.goto(station.checkoutUrl);
      await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'up', { timeout: 60_000 });
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { linkStates: string[] }).linkStates = seen;
        const record = () => {
          const state = document.querySelector('[data-testid="link-status"]')?.getAttribute('data-state');
          if (state && seen.at(-1) !== state) seen.push(state);
        };
        new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
        record();
      });
      const before = ledger(station).available as number;

      for (const sku of SKUS) expect(await sellOverSockets(checkout, simulator, { sku, cardId: CARD.id, pin: CARD.pin })).toMatchObject({ step: 'approved' });
      // Mid-load: the host dies while the next sale is authorizing, and its ledger is taken at once.
      let holding: Promise<HeldLock> | undefined;
      const interrupted = await sellOverSockets(checkout, simulator, {
        sku: 'DUM-001',
        cardId: CARD.id,
        pin: CARD.pin,
        at: { step: 'authorizing', run: () => (holding = killHostAndTake(station, hostPid, () => holdLedger(station))) },
      });
      if (!holding) throw new Error(`the sale ended (${interrupted.step}) without authorizing`);
      heldLedger = await holding;
      // Every sale but the oldest voided while the host is gone: each void's reversal queues up, none is lost.
      const sales = (await cardLegs(checkout)).filter((leg) => leg.kind === 'purchase' && leg.status === 'approved').slice(0, -1);
      const fates: string[] = [];
      for (const sale of sales) fates.push(...(await voidSale(checkout, sale.saleId)).tenders.map((tender) => tender.fate));
      expect(fates).toEqual(sales.map(() => 'void_pending'));

      // The station said why the host went and restarts it; the ledger is let go.
      const logged = (pattern: RegExp) => station.output.some((line) => pattern.test(line));
      await expect.poll(() => logged(/^bundled host exited \(killed by SIGKILL\); restarting it in \d+ ms/), { timeout: 60_000 }).toBe(true);
      heldLedger.release();
      heldLedger = undefined;

      // The station restarts the host on the same port; the queue drains once the link is back.
      await expect.poll(() => logged(new RegExp(`^bundled host restarted \\(pid \\d+\\), listening on 127\\.0\\.0\\.1:${hostPort}$`)), { timeout: 90_000 }).toBe(true);
      await expect.poll(async () => (await cardLegs(checkout)).filter((leg) => leg.status === 'reversal_pending' || leg.status === 'pending').length, { timeout: 90_000 }).toBe(0);
      await expect.poll(async () => valueOf(await checkout.invoke('getLinkStatus')), { timeout: 60_000 }).toEqual({ state: 'up', transport: 'tls', pendingReversals: 0 });
      // Over TLS: the restarted host found its CA, its server certificate and the station's enrolment in place.
      expect(station.output.filter((line) => line.startsWith('[host] pki:'))).toHaveLength(3);
      await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'up', { timeout: 60_000 });
      expect(await sellOverSockets(checkout, simulator, { sku: 'COF-002', cardId: CARD.id, pin: CARD.pin })).toMatchObject({ step: 'approved' });
      const shown = await page.evaluate(() => (window as unknown as { linkStates: string[] }).linkStates);
      expect(shown.indexOf('down')).toBeGreaterThan(0);
      expect(shown.lastIndexOf('up')).toBeGreaterThan(shown.indexOf('down'));

      // The ledger file: each sale as the station's journal says it ended, each reversal applied once.
      const rows = (await cardLegs(checkout)).filter((leg) => leg.kind === 'purchase');
      const { available, purchases } = ledger(station);
      const onHost = (stan: string) => purchases.filter((purchase) => purchase.stan === stan);
      let held = 0;
      for (const row of rows) {
        const found = onHost(row.stan);
        expect(found.length, `STAN ${row.stan}`).toBeLessThanOrEqual(1);
        if (row.status === 'approved') {
          expect(found[0], `STAN ${row.stan}`).toMatchObject({ state: 'pending' });
          held += row.amount.amountMinor;
        } else if (found[0]) expect(found[0], `STAN ${row.stan} (${row.status})`).toMatchObject({ state: 'reversed' });
      }
      for (const sale of sales) expect(onHost(sale.stan)[0], `voided STAN ${sale.stan}`).toMatchObject({ state: 'reversed', reversal_reason: '17' });
      expect(available).toBe(before - held);
      // The host says "reversed purchase <RRN>" exactly once per original it reversed (a repeat, 0401, is
      // answered "already reversed"); its log reaches the station's output a little after its ledger.
      for (const purchase of purchases.filter((candidate) => candidate.state === 'reversed')) {
        const said = () => station.output.filter((line) => line.startsWith('[host]') && line.includes(`reversed purchase ${purchase.rrn},`)).length;
        await expect.poll(said, { message: `RRN ${purchase.rrn}`, timeout: 30_000 }).toBeGreaterThan(0);
        expect(said(), `RRN ${purchase.rrn}`).toBe(1);
      }
      // Killed while authorizing: the answer came first (approved, then voided above), or it never did (failed, reversed if it left).
      expect(['approved', 'failed']).toContain(interrupted.step);

      // Its port taken by another program while it is down (acquirer.port 0, an ephemeral port): the
      // station moves the host to a free port, says so, and its acquirer link follows.
      const runningPid = Number(/^bundled host restarted \(pid (\d+)\)/.exec(station.output.findLast((line) => line.startsWith('bundled host restarted')) ?? '')?.[1]);
      heldPort = await killHostAndTake(station, runningPid, () => holdPort(hostPort));
      await expect.poll(() => logged(/^bundled host cannot listen again: 127\.0\.0\.1:\d+ is in use by another program \(EADDRINUSE\), so it moves to another port and the acquirer link follows; restarting it in \d+ ms on 127\.0\.0\.1, any free port$/), { timeout: 60_000 }).toBe(true);
      const moved = new RegExp(`^bundled host restarted \\(pid \\d+\\), listening on 127\\.0\\.0\\.1:(\\d+) \\(moved from port ${hostPort}\\)$`);
      await expect.poll(() => logged(moved), { timeout: 90_000 }).toBe(true);
      const newPort = Number(moved.exec(station.output.find((line) => moved.test(line))!)?.[1]);
      expect(newPort).not.toBe(hostPort);
      await expect.poll(async () => valueOf(await checkout.invoke<{ state: string }>('getLinkStatus')).state, { timeout: 60_000 }).toBe('up');
      expect(await sellOverSockets(checkout, simulator, { sku: 'TEA-001', cardId: CARD.id, pin: CARD.pin })).toMatchObject({ step: 'approved' });
      expect(valueOf(await checkout.invoke<{ acquirer: { port: number } }>('getStationInfo')).acquirer).toEqual({ host: '127.0.0.1', port: newPort, bundled: true });
      checkout.close();
      simulator.close();
    } finally {
      if (heldPort) await closeServer(heldPort);
      heldLedger?.release();
      await context?.close();
      await station.stop();
    }
  });
});
