import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoStation, sequenced } from '../../common/head-office/demo-events.ts';
import { UPLOAD_SCHEMA_VERSION, type UploadEvent, type UploadEventDraft } from '../../common/head-office/upload-schema.ts';
import { uuidV7 } from '../../common/head-office/uuid-v7.ts';
import { enrolStation } from '../stations/stations.ts';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.ts';
import { ingestJson } from '../test-support/ingest-json.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  for (const stationId of ['S1', 'S2', 'S3', 'S4', 'S5']) await enrolStation(db.database, { stationId, shopId: 'SH01' });
});
afterAll(() => db.drop());

const batch = (stationId: string, events: readonly UploadEvent[]) => ({
  schemaVersion: UPLOAD_SCHEMA_VERSION,
  stationId,
  batchId: uuidV7(),
  stationLastSeq: events.at(-1)?.seq ?? 0,
  events,
});

function day(station: DemoStation, sales: number): UploadEventDraft[] {
  return Array.from({ length: sales }, () => station.sale().events).flat();
}

const count = async (table: string, stationId: string) =>
  Number((await db.admin.query(`SELECT count(*) FROM ${table} WHERE station_id = $1`, [stationId])).rows[0].count);

describe('ingesting a batch', () => {
  it('stores a batch once, and acknowledges it again when it is sent twice', async () => {
    const events = sequenced(day(new DemoStation({ stationId: 'S1', seed: 7 }), 20), 1);
    const body = batch('S1', events);
    const first = await ingestJson(db.database.ingest, 'S1', body);
    expect(first).toEqual({ ok: true, ackedThroughSeq: events.length, stored: events.length, duplicates: 0 });
    const again = await ingestJson(db.database.ingest, 'S1', body);
    expect(again).toEqual({ ok: true, ackedThroughSeq: events.length, stored: 0, duplicates: events.length });
    expect(await count('event', 'S1')).toBe(events.length);
    expect(await count('sale', 'S1')).toBe(20);
    const rollup = await db.admin.query('SELECT sum(sales_count)::int AS n, sum(sales_minor)::int AS total FROM daily_sales WHERE station_id = $1', ['S1']);
    const stored = await db.admin.query('SELECT sum(total_minor)::int AS total FROM sale WHERE station_id = $1', ['S1']);
    expect(rollup.rows[0]).toEqual({ n: 20, total: stored.rows[0].total });
  });

  it('accepts a batch that overlaps what it holds, storing only the new part', async () => {
    const events = sequenced(day(new DemoStation({ stationId: 'S2', seed: 8 }), 10), 1);
    const half = Math.floor(events.length / 2);
    await ingestJson(db.database.ingest, 'S2', batch('S2', events.slice(0, half)));
    const outcome = await ingestJson(db.database.ingest, 'S2', batch('S2', events));
    expect(outcome).toEqual({ ok: true, ackedThroughSeq: events.length, stored: events.length - half, duplicates: half });
  });

  it('refuses a gap and says where to resume, storing nothing', async () => {
    const events = sequenced(day(new DemoStation({ stationId: 'S3', seed: 9 }), 5), 1);
    await ingestJson(db.database.ingest, 'S3', batch('S3', events.slice(0, 3)));
    const outcome = await ingestJson(db.database.ingest, 'S3', batch('S3', events.slice(5)));
    expect(outcome).toMatchObject({ ok: false, error: 'sequence_gap', expectedSeq: 4 });
    expect(await count('event', 'S3')).toBe(3);
  });

  it('refuses an event of another station, a malformed batch and an unknown schema version, storing nothing', async () => {
    const station = new DemoStation({ stationId: 'S4', seed: 10 });
    const events = sequenced(day(station, 3), 1);
    const foreign = events.map((event, index) => (index === 2 ? { ...event, stationId: 'S1' } : event));
    expect(await ingestJson(db.database.ingest, 'S4', batch('S4', foreign))).toMatchObject({ ok: false, error: 'wrong_station' });
    expect(await ingestJson(db.database.ingest, 'S4', batch('S1', events))).toMatchObject({ ok: false, error: 'wrong_station' });

    const badTotal = events.map((event) => (event.type === 'sale' ? { ...event, data: { ...event.data, totalMinor: event.data.totalMinor + 1 } } : event));
    const malformed = await ingestJson(db.database.ingest, 'S4', batch('S4', badTotal));
    expect(malformed).toMatchObject({ ok: false, error: 'malformed' });
    expect(!malformed.ok && malformed.message).toMatch(/totalMinor/);

    const leaky = events.map((event) => (event.type === 'card_outcome' ? { ...event, data: { ...event.data, maskedPan: '6212345678901232' } } : event));
    if (leaky.some((event) => event.type === 'card_outcome')) expect(await ingestJson(db.database.ingest, 'S4', batch('S4', leaky))).toMatchObject({ ok: false, error: 'malformed' });
    const extraField = events.map((event, index) => (index === 0 ? { ...event, data: { ...event.data, track2: ';6212345678901232=2512?' } } : event));
    expect(await ingestJson(db.database.ingest, 'S4', batch('S4', extraField as UploadEvent[]))).toMatchObject({ ok: false, error: 'malformed' });

    expect(await ingestJson(db.database.ingest, 'S4', { ...batch('S4', events), schemaVersion: 99 })).toMatchObject({ ok: false, error: 'unknown_schema_version', supportedVersions: [1] });
    expect(await count('event', 'S4')).toBe(0);

    expect(await ingestJson(db.database.ingest, 'S4', batch('S4', events))).toMatchObject({ ok: true, stored: events.length });
  });

  it('takes a voided sale and its tender back out of the rollups, and refuses a void of an unknown sale', async () => {
    const station = new DemoStation({ stationId: 'S5', seed: 11 });
    const { events: sold, sale } = station.sale('card');
    const tender = sold.find((event) => event.type === 'tender');
    const drafts = [...sold, ...station.voidSale(sale, tender?.type === 'tender' ? tender.data.tenderId : undefined)];
    const events = sequenced(drafts, 1);
    expect(await ingestJson(db.database.ingest, 'S5', batch('S5', events))).toMatchObject({ ok: true });
    const day = await db.admin.query('SELECT sales_count::int, sales_minor::int, voids_count::int, voids_minor::int, vat_minor::int FROM daily_sales WHERE station_id = $1', ['S5']);
    expect(day.rows).toEqual([{ sales_count: 1, sales_minor: sale.totalMinor, voids_count: 1, voids_minor: sale.totalMinor, vat_minor: 0 }]);
    const tenders = await db.admin.query('SELECT sum(count)::int AS count, sum(amount_minor)::int AS amount FROM daily_tender WHERE station_id = $1', ['S5']);
    expect(tenders.rows[0]).toEqual({ count: 0, amount: 0 });
    const vat = await db.admin.query('SELECT sum(gross_minor)::int AS gross FROM daily_vat WHERE station_id = $1', ['S5']);
    expect(vat.rows[0].gross).toBe(0);
    expect((await db.admin.query('SELECT voided FROM sale WHERE sale_id = $1', [sale.saleId])).rows[0].voided).toBe(true);

    const stranger = new DemoStation({ stationId: 'S5', seed: 12 }).sale('cash').sale;
    const orphan = sequenced(station.voidSale({ ...stranger }), events.length + 1);
    expect(await ingestJson(db.database.ingest, 'S5', batch('S5', orphan))).toMatchObject({ ok: false, error: 'unknown_sale' });
    const again = sequenced(station.voidSale(sale), events.length + 1);
    expect(await ingestJson(db.database.ingest, 'S5', batch('S5', again))).toMatchObject({ ok: false, error: 'malformed', message: expect.stringMatching(/voided already/) });
  });

  it('takes a void’s figures from the stored sale, and refuses a void whose figures are not the sale’s', async () => {
    const station = new DemoStation({ stationId: 'S6', seed: 13 });
    await enrolStation(db.database, { stationId: 'S6', shopId: 'SH01' });
    const { events: sold, sale } = station.sale('cash');
    const first = sequenced(sold, 1);
    expect(await ingestJson(db.database.ingest, 'S6', batch('S6', first))).toMatchObject({ ok: true });
    const [line] = sale.vatBreakdown;
    const inflated = { ...sale, totalMinor: sale.totalMinor + 100, vatBreakdown: [{ ...line!, grossMinor: line!.grossMinor + 100 }, ...sale.vatBreakdown.slice(1)] };
    const wrong = sequenced(station.voidSale(inflated), first.length + 1);
    expect(await ingestJson(db.database.ingest, 'S6', batch('S6', wrong))).toMatchObject({ ok: false, error: 'malformed', message: expect.stringMatching(/does not carry the figures of sale/) });
    expect(await count('sale_void', 'S6')).toBe(0);
    const right = sequenced(station.voidSale(sale), first.length + 1);
    expect(await ingestJson(db.database.ingest, 'S6', batch('S6', right))).toMatchObject({ ok: true });
    const day = await db.admin.query('SELECT sales_minor::int, voids_minor::int FROM daily_sales WHERE station_id = $1', ['S6']);
    expect(day.rows).toEqual([{ sales_minor: sale.totalMinor, voids_minor: sale.totalMinor }]);
  });
});
