/**
 * Writes a batch's new events: the event log row of each (sale lines and card legs are read from
 * it through views), the tables that keep state (sales, tenders, voids, refunds, shifts, reports,
 * settlements) and the rollups.
 * One statement per table per batch. The station id is never written from here: every table's
 * station_id defaults to hq_station(), the authenticated station of the transaction, and row-level
 * security checks it again.
 */
import type pg from 'pg';
import type { UploadEvent, UploadEventType } from '../../common/head-office/upload-schema.ts';
import { insertRecords } from '../db/database.ts';
import { RollupDeltas } from './rollups.ts';

type EventOf<Type extends UploadEventType> = Extract<UploadEvent, { type: Type }>;

function ofType<Type extends UploadEventType>(events: readonly UploadEvent[], type: Type): EventOf<Type>[] {
  return events.filter((event): event is EventOf<Type> => event.type === type);
}

/** Several snapshots of one thing (a tender, a shift) in a batch: the last one wins. */
function latestBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

const COUNTED_STATE = 'approved';

interface StoredTender {
  tender_id: string;
  purpose: 'payment' | 'refund';
  kind: string;
  state: string;
  business_day: string;
  currency: string;
  amount_minor: number;
  scheme: string;
}

const tenderRow = (event: EventOf<'tender'>) => ({
  tender_id: event.data.tenderId,
  sale_id: event.data.saleId,
  purpose: event.data.purpose,
  kind: event.data.kind,
  state: event.data.state,
  business_day: event.data.businessDay,
  currency: event.data.currency,
  amount_minor: event.data.amountMinor,
  scheme: event.data.scheme ?? '',
  last_seq: event.seq,
});

/** A tender's contribution to the takings moves with its state: added when approved, taken back when not any more. */
async function projectTenders(client: pg.ClientBase, tenders: readonly EventOf<'tender'>[], rollups: RollupDeltas): Promise<void> {
  if (tenders.length === 0) return;
  const ids = [...new Set(tenders.map((event) => event.data.tenderId))];
  const { rows } = await client.query<StoredTender>(
    'SELECT tender_id, purpose, kind, state, business_day, currency, amount_minor, scheme FROM tender WHERE tender_id = ANY($1::uuid[])',
    [ids],
  );
  const current = new Map<string, StoredTender>(rows.map((row) => [row.tender_id, row]));
  const asDelta = (row: StoredTender) => ({ businessDay: row.business_day, currency: row.currency, kind: row.kind, scheme: row.scheme, purpose: row.purpose, amountMinor: row.amount_minor });
  for (const event of tenders) {
    const before = current.get(event.data.tenderId);
    const after: StoredTender = tenderRow(event);
    if (before?.state === COUNTED_STATE) rollups.tender(asDelta(before), -1);
    if (after.state === COUNTED_STATE) rollups.tender(asDelta(after), 1);
    current.set(after.tender_id, after);
  }
  await insertRecords(
    client,
    'tender',
    { tender_id: 'uuid', sale_id: 'uuid', purpose: 'text', kind: 'text', state: 'text', business_day: 'date', currency: 'char(3)', amount_minor: 'bigint', scheme: 'text', last_seq: 'bigint' },
    latestBy(tenders, (event) => event.data.tenderId).map(tenderRow),
    `ON CONFLICT (tender_id) DO UPDATE SET state = excluded.state, amount_minor = excluded.amount_minor, scheme = excluded.scheme,
       business_day = excluded.business_day, last_seq = excluded.last_seq WHERE tender.last_seq < excluded.last_seq`,
  );
}

async function projectSales(client: pg.ClientBase, sales: readonly EventOf<'sale'>[], rollups: RollupDeltas): Promise<void> {
  await insertRecords(
    client,
    'sale',
    {
      sale_id: 'uuid',
      seq: 'bigint',
      business_day: 'date',
      occurred_at: 'timestamptz',
      currency: 'char(3)',
      subtotal_minor: 'bigint',
      discount_minor: 'bigint',
      vat_minor: 'bigint',
      total_minor: 'bigint',
      line_count: 'integer',
      price_list_version: 'integer',
    },
    sales.map(({ seq, occurredAt, data }) => ({
      sale_id: data.saleId,
      seq,
      business_day: data.businessDay,
      occurred_at: occurredAt,
      currency: data.currency,
      subtotal_minor: data.subtotalMinor,
      discount_minor: data.discountMinor,
      vat_minor: data.vatMinor,
      total_minor: data.totalMinor,
      line_count: data.lines.length,
      price_list_version: data.priceListVersion ?? null,
    })),
  );
  for (const sale of sales) rollups.sale(sale.data);
}

async function projectVoids(client: pg.ClientBase, voids: readonly EventOf<'void'>[], rollups: RollupDeltas): Promise<void> {
  if (voids.length === 0) return;
  await insertRecords(
    client,
    'sale_void',
    { sale_id: 'uuid', business_day: 'date', reason: 'text', total_minor: 'bigint', occurred_at: 'timestamptz' },
    voids.map(({ occurredAt, data }) => ({ sale_id: data.saleId, business_day: data.businessDay, reason: data.reason, total_minor: data.totalMinor, occurred_at: occurredAt })),
  );
  await client.query('UPDATE sale SET voided = true WHERE sale_id = ANY($1::uuid[])', [voids.map((event) => event.data.saleId)]);
  for (const voided of voids) rollups.voided(voided.data);
}

async function projectRefunds(client: pg.ClientBase, refunds: readonly EventOf<'refund'>[], rollups: RollupDeltas): Promise<void> {
  await insertRecords(
    client,
    'refund',
    { refund_id: 'uuid', original_sale_id: 'uuid', business_day: 'date', currency: 'char(3)', total_minor: 'bigint', vat_minor: 'bigint', reason: 'text', occurred_at: 'timestamptz' },
    refunds.map(({ occurredAt, data }) => ({
      refund_id: data.refundId,
      original_sale_id: data.originalSaleId ?? null,
      business_day: data.businessDay,
      currency: data.currency,
      total_minor: data.totalMinor,
      vat_minor: data.vatMinor,
      reason: data.reason,
      occurred_at: occurredAt,
    })),
  );
  for (const refund of refunds) rollups.refund(refund.data);
}

const SHIFT_COLUMNS = {
  shift_id: 'uuid',
  business_day: 'date',
  state: 'text',
  cashier: 'text',
  opened_at: 'timestamptz',
  closed_at: 'timestamptz',
  currency: 'char(3)',
  opening_float_minor: 'bigint',
  paid_in_minor: 'bigint',
  paid_out_minor: 'bigint',
  cash_sales_minor: 'bigint',
  cash_refunds_minor: 'bigint',
  expected_cash_minor: 'bigint',
  counted_cash_minor: 'bigint',
  over_short_minor: 'bigint',
  last_seq: 'bigint',
} as const;

async function projectShifts(client: pg.ClientBase, shifts: readonly EventOf<'shift'>[]): Promise<void> {
  const updated = Object.keys(SHIFT_COLUMNS).filter((column) => column !== 'shift_id');
  await insertRecords(
    client,
    'shift',
    SHIFT_COLUMNS,
    latestBy(shifts, (event) => event.data.shiftId).map(({ seq, data }) => ({
      shift_id: data.shiftId,
      business_day: data.businessDay,
      state: data.state,
      cashier: data.cashier,
      opened_at: data.openedAt,
      closed_at: data.closedAt ?? null,
      currency: data.currency,
      opening_float_minor: data.openingFloatMinor,
      paid_in_minor: data.paidInMinor,
      paid_out_minor: data.paidOutMinor,
      cash_sales_minor: data.cashSalesMinor,
      cash_refunds_minor: data.cashRefundsMinor,
      expected_cash_minor: data.expectedCashMinor,
      counted_cash_minor: data.countedCashMinor ?? null,
      over_short_minor: data.overShortMinor ?? null,
      last_seq: seq,
    })),
    `ON CONFLICT (shift_id) DO UPDATE SET ${updated.map((column) => `${column} = excluded.${column}`).join(', ')} WHERE shift.last_seq < excluded.last_seq`,
  );
}

async function projectReports(client: pg.ClientBase, reports: readonly EventOf<'report'>[]): Promise<void> {
  await insertRecords(
    client,
    'station_report',
    { report_id: 'uuid', kind: 'text', number: 'integer', business_day: 'date', currency: 'char(3)', sales_count: 'bigint', sales_minor: 'bigint', net_minor: 'bigint', occurred_at: 'timestamptz' },
    reports.map(({ occurredAt, data }) => ({
      report_id: data.reportId,
      kind: data.kind,
      number: data.number,
      business_day: data.businessDay,
      currency: data.currency,
      sales_count: data.sales.count,
      sales_minor: data.sales.amountMinor,
      net_minor: data.netMinor,
      occurred_at: occurredAt,
    })),
  );
}

async function projectSettlements(client: pg.ClientBase, settlements: readonly EventOf<'settlement'>[]): Promise<void> {
  await insertRecords(
    client,
    'settlement',
    {
      batch_number: 'text',
      business_day: 'date',
      result: 'text',
      response_code: 'text',
      currency: 'char(3)',
      debits_count: 'bigint',
      debits_minor: 'bigint',
      credits_count: 'bigint',
      credits_minor: 'bigint',
      occurred_at: 'timestamptz',
      last_seq: 'bigint',
    },
    latestBy(settlements, (event) => event.data.batchNumber).map(({ seq, occurredAt, data }) => ({
      batch_number: data.batchNumber,
      business_day: data.businessDay,
      result: data.result,
      response_code: data.responseCode ?? null,
      currency: data.currency,
      debits_count: data.debits.count,
      debits_minor: data.debits.amountMinor,
      credits_count: data.credits.count,
      credits_minor: data.credits.amountMinor,
      occurred_at: occurredAt,
      last_seq: seq,
    })),
    `ON CONFLICT (station_id, batch_number) DO UPDATE SET result = excluded.result, response_code = excluded.response_code,
       debits_count = excluded.debits_count, debits_minor = excluded.debits_minor, credits_count = excluded.credits_count,
       credits_minor = excluded.credits_minor, occurred_at = excluded.occurred_at, last_seq = excluded.last_seq
       WHERE settlement.last_seq < excluded.last_seq`,
  );
}

/** Writes events the head office did not hold yet, in the station's order. */
export async function storeEvents(client: pg.ClientBase, events: readonly UploadEvent[]): Promise<void> {
  // The event log is the widest insert. The small columns go as arrays; the payloads as one JSON
  // array, split by PostgreSQL and paired by position (cheaper on both sides than an array of texts).
  await client.query(
    `INSERT INTO event (event_id, seq, type, occurred_at, payload)
     SELECT c.event_id, c.seq, c.type, c.occurred_at, p.payload
       FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::timestamptz[]) WITH ORDINALITY AS c(event_id, seq, type, occurred_at, n)
       JOIN json_array_elements($5::json) WITH ORDINALITY AS p(payload, n) USING (n)`,
    [events.map((event) => event.eventId), events.map((event) => event.seq), events.map((event) => event.type), events.map((event) => event.occurredAt), JSON.stringify(events)],
  );
  const rollups = new RollupDeltas();
  await projectSales(client, ofType(events, 'sale'), rollups);
  await projectTenders(client, ofType(events, 'tender'), rollups);
  await projectVoids(client, ofType(events, 'void'), rollups);
  await projectRefunds(client, ofType(events, 'refund'), rollups);
  await projectShifts(client, ofType(events, 'shift'));
  await projectReports(client, ofType(events, 'report'));
  await projectSettlements(client, ofType(events, 'settlement'));
  await rollups.write(client);
}

