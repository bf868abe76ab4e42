/**
 * The station as the product builds it (createStation, over TCP to a real host, virtual devices at
 * the USB level) with a head office in station.json, against the real head-office service and
 * PostgreSQL: what the cashier does (cash, card and split sales, a void, refunds of cash and card,
 * paid in, an X report, settlement, the close with its Z report) goes from the journal's outbox
 * through the uploader to the head office, which then holds every sale, tender, void, refund, shift
 * and report of the journal, row by row. A price list published at the head office reaches the
 * catalog between sales only, and the next sale records the version it sold from.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHost, type RunningHost } from '../../bank/start-host.ts';
import { DEMO_CATALOG } from '../../main/catalog/demo-catalog.ts';
import { credentialPath } from '../../main/head-office/station-head-office.ts';
import { APPROVAL, rigEnrolment, startRig, type Rig } from '../../main/test-support/station-rig.ts';
import { compareWithHeadOffice, startHeadOfficeRig, type HeadOfficeRig } from './head-office-rig.ts';

const STATION = 'SH01-01';
let hq: HeadOfficeRig;
let host: RunningHost;
let rig: Rig;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'station-hq-'));
  hq = await startHeadOfficeRig();
  const credential = await hq.enrol(STATION);
  mkdirSync(join(dataDir, 'keys'), { recursive: true });
  writeFileSync(credentialPath(dataDir), JSON.stringify(credential), { mode: 0o600 });
  host = await startHost({ dataDir: join(dataDir, 'bank'), port: 0, log: () => undefined, enrolStation: rigEnrolment(dataDir) });
  rig = await startRig({ host: host.host, port: host.port, dataDir, headOffice: { url: hq.server.origin }, headOfficeTuning: { retryBaseMs: 50, retryMaxMs: 500 } });
  await rig.waitUntilUp();
  await rig.signInAndOpenShift(20_000);
});

afterAll(async () => {
  await rig?.stop();
  await host?.close();
  await hq?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const journal = () => rig.services.journal;
const uploaded = async () => rig.station.headOffice!.uploader.drained();
const rows = async <T,>(sql: string): Promise<T[]> => (await hq.db.admin.query(sql, [STATION])).rows as T[];

async function cashSale(skus: string[], receivedMinor: number) {
  const sale = await rig.ring(skus);
  await rig.call('startCashTender', { receivedMinor });
  await rig.services.tenders.whenIdle();
  return journal().sales.load(sale.id)!;
}

describe('a station with a head office', { timeout: 120_000 }, () => {
  it('uploads sales, tenders, a void, refunds, the shift, X and Z reports and the settlement as the journal holds them', async () => {
    const cash = await cashSale(['TEA-001', 'COF-001'], 5000);
    const card = await rig.cardSale('mastercard-2series-credit', ['2468'], ['HOM-002']);
    const split = await rig.ring(['SNK-003', 'WAT-001']);
    await rig.call('startCashTender', { amountMinor: 500, receivedMinor: 500 });
    await rig.services.tenders.whenIdle();
    await rig.payByCard('mastercard-2series-credit', ['2468']);
    await rig.call('voidSale', { saleId: split.id, approval: APPROVAL });
    // The card's void is a reversal the host confirms through the store-and-forward queue.
    await vi.waitUntil(() => journal().sales.load(split.id)!.tenders.every((tender) => tender.state === 'voided'), { timeout: 30_000, interval: 50 });
    await rig.call('refundTender', { saleId: cash.id, tenderId: cash.tenders[0]!.id, amountMinor: 300, approval: APPROVAL });
    const cardTender = journal().sales.load(card.saleId)!.tenders[0]!;
    const { paymentId } = await rig.call('refundTender', { saleId: card.saleId, tenderId: cardTender.id, amountMinor: 1000, approval: APPROVAL });
    expect(await rig.presentCard(paymentId!, 'mastercard-2series-credit', [])).toMatchObject({ step: 'approved', kind: 'refund' });
    await rig.call('moveCash', { kind: 'paid_in', amountMinor: 1000, reason: 'change float' });
    await rig.call('printXReport', {});
    await rig.settle();
    const z = await rig.call('closeShift', { countedMinor: 24_000 });
    await uploaded();

    // Every event of the journal's outbox is at the head office once, as sent.
    const outboxDb = new DatabaseSync(join(dataDir, 'journal.sqlite'), { readOnly: true });
    try {
      const { events } = await compareWithHeadOffice(hq.db, STATION, outboxDb);
      expect(events).toBe(journal().outbox.lastSeq());
    } finally {
      outboxDb.close();
    }

    // Sales: every paid sale of the journal, with its total; the voided one marked and its void kept.
    const sales = journal().sales.page(undefined, 100).filter((sale) => ['paid', 'partly_refunded', 'refunded', 'voided'].includes(sale.status));
    const held = await rows<{ sale_id: string; total_minor: number; voided: boolean }>('SELECT sale_id::text, total_minor::int, voided FROM sale WHERE station_id = $1');
    expect(new Map(held.map((row) => [row.sale_id, [row.total_minor, row.voided]]))).toEqual(new Map(sales.map((sale) => [sale.id, [sale.total.amountMinor, sale.status === 'voided']])));
    expect(await rows('SELECT sale_id::text, total_minor::int FROM sale_void WHERE station_id = $1')).toEqual([{ sale_id: split.id, total_minor: journal().sales.load(split.id)!.totals.total.amountMinor }]);

    // Tenders: each of the journal's, in the state it ended in; refunds as refund tenders and refunds.
    const uploads = rig.station.headOffice!.uploads;
    const tenders = sales.flatMap((summary) => {
      const sale = journal().sales.load(summary.id)!;
      return sale.tenders.map((tender) => ({ tender_id: uploads.tenderId(sale.id, sale.openedAt, tender.id), sale_id: sale.id, kind: tender.type, state: tender.state, amount_minor: tender.amount.amountMinor }));
    });
    const heldTenders = await rows<{ tender_id: string }>("SELECT tender_id::text, sale_id::text, kind, state, amount_minor::int FROM tender WHERE station_id = $1 AND purpose = 'payment'");
    expect(new Set(heldTenders.map((row) => JSON.stringify(row)))).toEqual(new Set(tenders.map((row) => JSON.stringify(row))));
    expect(await rows("SELECT kind, amount_minor::int FROM tender WHERE station_id = $1 AND purpose = 'refund' ORDER BY amount_minor")).toEqual([
      { kind: 'cash', amount_minor: 300 },
      { kind: 'card', amount_minor: 1000 },
    ]);
    expect(await rows('SELECT original_sale_id::text, total_minor::int FROM refund WHERE station_id = $1 ORDER BY total_minor')).toEqual([
      { original_sale_id: cash.id, total_minor: 300 },
      { original_sale_id: card.saleId, total_minor: 1000 },
    ]);
    expect(await rows("SELECT result, masked_pan FROM card_outcome WHERE station_id = $1 AND result = 'approved'")).toHaveLength(2);

    // The shift as the Z report closed it, the X and Z reports, and the settled batch.
    const shift = journal().shifts.byId(z.shift.id)!;
    expect(await rows('SELECT state, cashier, opening_float_minor::int, paid_in_minor::int, cash_sales_minor::int, cash_refunds_minor::int, expected_cash_minor::int, counted_cash_minor::int, over_short_minor::int FROM shift WHERE station_id = $1')).toEqual([
      {
        state: 'closed',
        cashier: shift.openedBy,
        opening_float_minor: 20_000,
        paid_in_minor: 1000,
        cash_sales_minor: z.cash.sales.amountMinor,
        cash_refunds_minor: z.cash.refunds.amountMinor,
        expected_cash_minor: z.cash.expected.amountMinor,
        counted_cash_minor: shift.countedMinor,
        over_short_minor: shift.countedMinor! - z.cash.expected.amountMinor,
      },
    ]);
    expect(await rows('SELECT kind, sales_count::int, sales_minor::int FROM station_report WHERE station_id = $1 ORDER BY kind')).toEqual([
      { kind: 'X', sales_count: expect.any(Number), sales_minor: expect.any(Number) },
      { kind: 'Z', sales_count: z.sales.count, sales_minor: z.sales.amount.amountMinor },
    ]);
    expect(await rows('SELECT result FROM settlement WHERE station_id = $1')).toHaveLength(1);

    // The day's rollups: sales, voids and refunds as the journal counts them.
    const [day] = await rows<Record<string, number>>('SELECT sum(sales_count)::int AS sales, sum(voids_count)::int AS voids, sum(refunds_count)::int AS refunds, sum(refunds_minor)::int AS refunded FROM daily_sales WHERE station_id = $1');
    expect(day).toEqual({ sales: sales.length, voids: 1, refunds: 2, refunded: 1300 });
  });

  it('takes a price list from the head office between sales only, and records the version each sale was sold from', async () => {
    await rig.signInAndOpenShift(10_000);
    const tea = DEMO_CATALOG.find((item) => item.sku === 'TEA-001')!;
    const list = await hq.publishPriceList({ upsert: DEMO_CATALOG.map((item) => (item.sku === tea.sku ? { ...item, price: { ...item.price, amountMinor: 520 } } : item)), replaceAll: true, note: 'tea up' });

    const open = await rig.ring(['TEA-001']);
    expect(await rig.station.headOffice!.checkPrices()).toBe(true);
    expect(rig.station.headOffice!.prices.pending()?.version).toBe(list.version);
    // The open sale keeps its price; the list waits for it to end.
    expect((await rig.call('addItem', { sku: 'TEA-001', quantity: 1 })).lines.map((line) => [line.quantity, line.unitPrice.amountMinor])).toEqual([[2, tea.price.amountMinor]]);
    await rig.call('startCashTender', { receivedMinor: 2000 });
    await rig.services.tenders.whenIdle();
    expect(rig.station.headOffice!.prices.pending()).toBeUndefined();

    const next = await cashSale(['TEA-001'], 1000);
    expect(next.lines[0]!.unitPrice.amountMinor).toBe(520);
    await uploaded();
    expect(await rows(`SELECT sale_id::text, price_list_version FROM sale WHERE station_id = $1 AND sale_id IN ('${open.id}', '${next.id}') ORDER BY sale_id`)).toEqual([
      { sale_id: open.id, price_list_version: null },
      { sale_id: next.id, price_list_version: list.version },
    ]);
  });
});
