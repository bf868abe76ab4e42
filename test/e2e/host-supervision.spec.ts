/**
 * The bundled host killed (SIGKILL) in the middle of the station's work, and restarted by the
 * station itself: the running station (npm run station, its own process, virtual devices) sells
 * through its pages' sockets; the host is killed while a sale's card tender is authorizing, and
 * most sales are voided (a supervisor approving) while it is gone. Once it is back, the next sale is approved. The checkout shows the link down, then up; the station's log says why;
 * every reversal the station queued goes out once the host is back; and the host's ledger file
 * shows each one applied exactly once: every voided or reversed sale is reversed there, every
 * approved one holds, and the card's balance is what those holds leave, to the fen.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
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

test.describe('the bundled host under supervision', () => {
  test.skip(({ target }) => target !== 'browser', 'drives the browser-target station process; the Electron utilityProcess has the same supervisor, tested through the child-process host');

  test('killed mid-load, it is restarted by the station, the link goes down then up, and every reversal is applied once in its ledger', async ({ stationBrowser }) => {
    const station = await startBrowserStationProcess();
    const context = await stationBrowser?.newContext();
    try {
      const hostPid = Number(/^bundled host started \(pid (\d+)\)/.exec(station.output.find((line) => line.startsWith('bundled host started')) ?? '')?.[1]);
      expect(hostPid).toBeGreaterThan(0);
      const checkout = await StationSocket.open(station.checkoutUrl, 'pos');
      const simulator = await StationSocket.open(station.simulatorUrl as string, 'sim');
      await expect.poll(async () => valueOf(await checkout.invoke<{ state: string }>('getLinkStatus')).state).toBe('up');
      await signInWithShift(checkout);

      // The checkout page itself, recording every state its link status shows.
      const page = await context?.newPage();
      if (!page) throw new Error('the browser target has a browser');
      await page.goto(station.checkoutUrl);
      await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'up');
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
      // Mid-load: the host dies while the next sale is authorizing.
      const interrupted = await sellOverSockets(checkout, simulator, { sku: 'DUM-001', cardId: CARD.id, pin: CARD.pin, at: { step: 'authorizing', run: () => process.kill(hostPid, 'SIGKILL') } });
      // Every sale but the oldest voided while the host is gone (or coming back): reversals queue up, none is lost.
      const sales = (await cardLegs(checkout)).filter((leg) => leg.kind === 'purchase' && leg.status === 'approved').slice(0, -1);
      const fates: string[] = [];
      for (const sale of sales) fates.push(...(await voidSale(checkout, sale.saleId)).tenders.map((tender) => tender.fate));
      expect(fates).toContain('void_pending');

      // The station restarts the host and says why; the queue drains once the link is back.
      await expect.poll(() => station.output.some((line) => /^bundled host exited \(killed by SIGKILL\); restarting it in \d+ ms/.test(line))).toBe(true);
      await expect.poll(() => station.output.some((line) => line.startsWith('bundled host restarted'))).toBe(true);
      await expect.poll(async () => (await cardLegs(checkout)).filter((leg) => leg.status === 'reversal_pending' || leg.status === 'pending').length, { timeout: 60_000 }).toBe(0);
      await expect.poll(async () => valueOf(await checkout.invoke('getLinkStatus'))).toEqual({ state: 'up', pendingReversals: 0 });
      await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'up');
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
      // The host says "reversed purchase <RRN>" once per original it reversed; a repeat (0401) is answered "already reversed".
      for (const purchase of purchases.filter((candidate) => candidate.state === 'reversed')) {
        expect(station.output.filter((line) => line.startsWith('[host]') && line.includes(`reversed purchase ${purchase.rrn},`)).length, `RRN ${purchase.rrn}`).toBeLessThanOrEqual(1);
      }
      // Killed while authorizing: the answer came first (approved, then voided above), or it never did (failed, reversed if it left).
      expect(['approved', 'failed']).toContain(interrupted.step);
      checkout.close();
      simulator.close();
    } finally {
      await context?.close();
      await station.stop();
    }
  });
});
