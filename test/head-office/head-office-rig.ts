/**
 * Test rig for the station ↔ head office tests: the real head-office service (its own composition,
 * startHqServer) on a fresh database, stations enrolled through the product's enrolment, and
 * station-side outboxes in real SQLite files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DemoStation } from '../../common/head-office/demo-events.ts';
import type { PriceList } from '../../common/head-office/price-list.ts';
import type { StationCredential } from '../../common-node/station-signature.ts';
import { startHqServer, type HqServerOptions, type RunningHqServer } from '../../hq/server/hq-server.ts';
import { enrolStation } from '../../hq/stations/stations.ts';
import { createTestDatabase, type TestDatabase } from '../../hq/test-support/test-database.ts';
import { SqliteOutbox } from '../../main/head-office/sqlite-outbox.ts';

export interface HeadOfficeRig {
  readonly db: TestDatabase;
  readonly server: RunningHqServer;
  enrol(stationId: string, shopId?: string): Promise<StationCredential>;
  /** Publishes a price list through the office API (POST /api/price-list), as the office's page does. */
  publishPriceList(edit: object): Promise<PriceList>;
  close(): Promise<void>;
}

export async function startHeadOfficeRig(options: { serverUrl?: string; ingestHooks?: HqServerOptions['ingestHooks'] } = {}): Promise<HeadOfficeRig> {
  const db = await createTestDatabase(options.serverUrl);
  const server = await startHqServer({ database: db.database, port: 0, // HQ_RIG_LOG=1 shows the head office's log lines when a test needs looking into.
    log: process.env.HQ_RIG_LOG ? (line) => console.log('[hq]', line) : () => {}, ...(options.ingestHooks ? { ingestHooks: options.ingestHooks } : {}) });
  return {
    db,
    server,
    enrol: (stationId, shopId = 'SH01') => enrolStation(db.database, { stationId, shopId }),
    publishPriceList: async (edit) => {
      const response = await fetch(`${server.origin}/api/price-list`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.officeToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(edit),
      });
      if (response.status !== 201) throw new Error(`publishing the price list: ${response.status} ${await response.text()}`);
      return (await response.json()) as PriceList;
    },
    close: async () => {
      await server.close();
      await db.drop();
    },
  };
}

export interface StationOutbox {
  readonly path: string;
  readonly db: DatabaseSync;
  readonly outbox: SqliteOutbox;
  readonly demo: DemoStation;
  /** Rings up `count` sales, each sale's events appended in one transaction as the journal will. */
  sell(count: number): void;
}

const openOutboxes: { db: DatabaseSync; path: string }[] = [];

/** Closes and deletes every outbox stationOutbox made: call it when the test file is done. */
export function removeStationOutboxes(): void {
  for (const { db, path } of openOutboxes.splice(0)) {
    if (db.isOpen) db.close();
    rmSync(dirname(path), { recursive: true, force: true });
  }
}

export function stationOutbox(stationId: string, seed = 1): StationOutbox {
  const path = join(mkdtempSync(join(tmpdir(), 'hq-outbox-')), 'journal.sqlite');
  const db = new DatabaseSync(path);
  openOutboxes.push({ db, path });
  const outbox = new SqliteOutbox(db);
  const demo = new DemoStation({ stationId, seed });
  return {
    path,
    db,
    outbox,
    demo,
    sell(count) {
      for (let i = 0; i < count; i++) {
        const { events } = demo.sale();
        db.exec('BEGIN IMMEDIATE');
        for (const event of events) outbox.append(event);
        db.exec('COMMIT');
      }
    },
  };
}

interface OutboxRow {
  seq: number;
  event_id: string;
  event: string;
}

/**
 * Compares a station's outbox with what the head office holds, row by row: every outbox event is at
 * the head office once, under the same sequence number, with the same content; nothing else is.
 */
export async function compareWithHeadOffice(db: TestDatabase, stationId: string, outboxDb: DatabaseSync): Promise<{ events: number }> {
  const rows = outboxDb.prepare('SELECT seq, event_id, event FROM outbox ORDER BY seq').all() as unknown as OutboxRow[];
  const held = await db.admin.query<{ seq: number; event_id: string; payload: unknown }>('SELECT seq::integer AS seq, event_id, payload FROM event WHERE station_id = $1 ORDER BY seq', [stationId]);
  if (held.rows.length !== rows.length) throw new Error(`station ${stationId}: outbox has ${rows.length} events, head office ${held.rows.length}`);
  rows.forEach((row, index) => {
    const stored = held.rows[index]!;
    const expected = { ...JSON.parse(row.event), seq: row.seq };
    if (stored.seq !== row.seq || stored.event_id !== row.event_id || JSON.stringify(sortKeys(stored.payload)) !== JSON.stringify(sortKeys(expected))) {
      throw new Error(`station ${stationId} seq ${row.seq}: the head office holds ${JSON.stringify(stored)}, the outbox ${JSON.stringify(expected)}`);
    }
  });
  return { events: rows.length };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([key, inner]) => [key, sortKeys(inner)]));
  return value;
}

/** The rollups agree with the rows they summarise: nothing counted twice or lost in them either. */
export async function rollupsMatchSales(db: TestDatabase, stationId: string): Promise<boolean> {
  const { rows } = await db.admin.query(
    `SELECT (SELECT coalesce(sum(sales_count), 0) FROM daily_sales WHERE station_id = $1)::bigint AS rolled_count,
            (SELECT count(*) FROM sale WHERE station_id = $1)::bigint AS sale_count,
            (SELECT coalesce(sum(sales_minor), 0) FROM daily_sales WHERE station_id = $1)::bigint AS rolled_minor,
            (SELECT coalesce(sum(total_minor), 0) FROM sale WHERE station_id = $1)::bigint AS sale_minor,
            (SELECT coalesce(sum(amount_minor), 0) FROM daily_tender WHERE station_id = $1)::bigint AS tender_minor`,
    [stationId],
  );
  const row = rows[0];
  return row.rolled_count === row.sale_count && row.rolled_minor === row.sale_minor && row.tender_minor === row.sale_minor;
}

/**
 * A station's journal against the head office: its outbox row by row (compareWithHeadOffice), and
 * its paid sales (voided ones marked), its tenders' states and its refunds against the head office's
 * rows. Throws on the first difference; answers what it compared.
 */
export async function compareJournalWithHeadOffice(db: TestDatabase, stationId: string, journalPath: string): Promise<{ events: number; sales: number; refundedMinor: number }> {
  const journal = new DatabaseSync(journalPath, { readOnly: true });
  try {
    const { events } = await compareWithHeadOffice(db, stationId, journal);
    const sales = journal.prepare("SELECT id, total_minor, status = 'voided' AS voided FROM sales WHERE legacy = 0 AND status IN ('paid', 'partly_refunded', 'refunded', 'voided') ORDER BY id").all() as { id: string; total_minor: number; voided: number }[];
    const held = await db.admin.query<{ sale_id: string; total_minor: number; voided: boolean }>('SELECT sale_id::text, total_minor::int, voided FROM sale WHERE station_id = $1 ORDER BY sale_id', [stationId]);
    const journalSales = JSON.stringify(sales.map((sale) => [sale.id, sale.total_minor, sale.voided === 1]));
    const headOfficeSales = JSON.stringify(held.rows.map((row) => [row.sale_id, row.total_minor, row.voided]));
    if (journalSales !== headOfficeSales) throw new Error(`station ${stationId}: the journal's paid sales ${journalSales} are not the head office's ${headOfficeSales}`);
    const tenders = journal.prepare("SELECT state, count(*) AS n, sum(amount_minor) AS amount FROM tenders t JOIN sales s ON s.id = t.sale_id WHERE s.legacy = 0 AND t.state IN ('approved', 'voided') GROUP BY state ORDER BY state").all() as { state: string; n: number; amount: number }[];
    const heldTenders = await db.admin.query<{ state: string; n: number; amount: number }>("SELECT state, count(*)::int AS n, sum(amount_minor)::int AS amount FROM tender WHERE station_id = $1 AND purpose = 'payment' AND state IN ('approved', 'voided') GROUP BY state ORDER BY state", [stationId]);
    if (JSON.stringify(tenders) !== JSON.stringify(heldTenders.rows)) throw new Error(`station ${stationId}: the journal's tenders ${JSON.stringify(tenders)} are not the head office's ${JSON.stringify(heldTenders.rows)}`);
    const { refunded } = journal.prepare('SELECT coalesce(sum(refunded_minor), 0) AS refunded FROM sales WHERE legacy = 0').get() as { refunded: number };
    const heldRefunds = await db.admin.query<{ refunded: number }>('SELECT coalesce(sum(total_minor), 0)::int AS refunded FROM refund WHERE station_id = $1', [stationId]);
    if (heldRefunds.rows[0]!.refunded !== refunded) throw new Error(`station ${stationId}: the journal refunded ${refunded}, the head office holds ${heldRefunds.rows[0]!.refunded}`);
    return { events, sales: sales.length, refundedMinor: refunded };
  } finally {
    journal.close();
  }
}
