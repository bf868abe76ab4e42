/**
 * Writes a batch's new events: one event-log row for the batch (its body as sent; sale lines are
 * read from it through views), the tables that keep state or are looked up (sales, tenders, card
 * legs, voids, refunds, shifts, reports, settlements) and the rollups.
 * One statement per table per batch. The station id is never written from here: every table's
 * station_id defaults to hq_station(), the authenticated station of the transaction, and row-level
 * security checks it again.
 */
import type pg from 'pg';
import type { UploadEvent, UploadEventType, VatLine } from '../../common/head-office/upload-schema.ts';
import { insertRecords, prepared } from '../db/database.ts';
import { BatchRefused } from './batch-refused.ts';
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

const TENDER_COLUMNS = { tender_id: 'uuid', sale_id: 'uuid', purpose: 'text', kind: 'text', state: 'text', business_day: 'date', currency: 'char(3)', amount_minor: 'bigint', scheme: 'text', last_seq: 'bigint' } as const;

/** A tender's contribution to the takings moves with its state: added when approved, taken back when not any more. */
async function projectTenders(client: pg.ClientBase, tenders: readonly EventOf<'tender'>[], rollups: RollupDeltas): Promise<void> {
  if (tenders.length === 0) return;
  const ids = [...new Set(tenders.map((event) => event.data.tenderId))];
  const { rows } = await client.query<StoredTender>(
    prepared('SELECT tender_id, purpose, kind, state, business_day, currency, amount_minor, scheme FROM tender WHERE station_id = hq_station() AND tender_id = ANY($1::uuid[])', [ids]),
  );
  const held = new Set(rows.map((row) => row.tender_id));
  const current = new Map<string, StoredTender>(rows.map((row) => [row.tender_id, row]));
  const asDelta = (row: StoredTender) => ({ businessDay: row.business_day, currency: row.currency, kind: row.kind, scheme: row.scheme, purpose: row.purpose, amountMinor: row.amount_minor });
  for (const event of tenders) {
    const before = current.get(event.data.tenderId);
    const after: StoredTender = tenderRow(event);
    if (before?.state === COUNTED_STATE) rollups.tender(asDelta(before), -1);
    if (after.state === COUNTED_STATE) rollups.tender(asDelta(after), 1);
    current.set(after.tender_id, after);
  }
  // A station's batches run one at a time, so what the SELECT found is what is there: new tenders are
  // plain inserts (cheaper than ON CONFLICT's speculative insertion), known ones an update.
  const latest = latestBy(tenders, (event) => event.data.tenderId).map(tenderRow);
  await insertRecords(client, 'tender', TENDER_COLUMNS, latest.filter((row) => !held.has(row.tender_id)));
  const changed = latest.filter((row) => held.has(row.tender_id));
  if (changed.length === 0) return;
  await client.query(
    prepared(
      `UPDATE tender t SET state = u.state, amount_minor = u.amount_minor, scheme = u.scheme, business_day = u.business_day, last_seq = u.last_seq
         FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::date[], $6::bigint[]) AS u(tender_id, state, amount_minor, scheme, business_day, last_seq)
        WHERE t.station_id = hq_station() AND t.tender_id = u.tender_id AND t.last_seq < u.last_seq`,
      [changed.map((row) => row.tender_id), changed.map((row) => row.state), changed.map((row) => row.amount_minor), changed.map((row) => row.scheme), changed.map((row) => row.business_day), changed.map((row) => row.last_seq)],
    ),
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
      vat_breakdown: 'json',
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
      vat_breakdown: JSON.stringify(data.vatBreakdown),
    })),
  );
  for (const sale of sales) rollups.sale(sale.data);
}

interface VoidedSale {
  sale_id: string;
  currency: string;
  total_minor: number;
  vat_minor: number;
  vat_breakdown: VatLine[];
  voided: boolean;
}

const sameBreakdown = (a: readonly VatLine[], b: readonly VatLine[]) => {
  const key = (lines: readonly VatLine[]) => JSON.stringify([...lines].sort((x, y) => x.vatRateBp - y.vatRateBp).map((line) => [line.vatRateBp, line.grossMinor, line.vatMinor]));
  return key(a) === key(b);
};

/**
 * A void names a sale of this station that the head office holds and that is not voided yet, with
 * the sale's own figures; the rollups take back what the stored sale says.
 */
async function projectVoids(client: pg.ClientBase, voids: readonly EventOf<'void'>[], rollups: RollupDeltas): Promise<void> {
  if (voids.length === 0) return;
  const { rows } = await client.query<VoidedSale>(
    'SELECT sale_id, currency, total_minor, vat_minor, vat_breakdown, voided FROM sale WHERE station_id = hq_station() AND sale_id = ANY($1::uuid[]) FOR UPDATE',
    [voids.map((event) => event.data.saleId)],
  );
  const held = new Map(rows.map((row) => [row.sale_id, row]));
  for (const { seq, data } of voids) {
    const sale = held.get(data.saleId);
    if (!sale) throw new BatchRefused('unknown_sale', `the void at sequence ${seq} names sale ${data.saleId}, which the head office does not hold for this station`);
    if (sale.voided) throw new BatchRefused('malformed', `the void at sequence ${seq} names sale ${data.saleId}, which is voided already`);
    if (sale.currency !== data.currency || sale.total_minor !== data.totalMinor || sale.vat_minor !== data.vatMinor || !sameBreakdown(sale.vat_breakdown, data.vatBreakdown)) {
      throw new BatchRefused('malformed', `the void at sequence ${seq} does not carry the figures of sale ${data.saleId} (${sale.total_minor} ${sale.currency}, VAT ${sale.vat_minor})`);
    }
    sale.voided = true;
    rollups.voided({ businessDay: data.businessDay, currency: sale.currency, totalMinor: sale.total_minor, vatMinor: sale.vat_minor, vatBreakdown: sale.vat_breakdown });
  }
  await insertRecords(
    client,
    'sale_void',
    { sale_id: 'uuid', business_day: 'date', reason: 'text', total_minor: 'bigint', occurred_at: 'timestamptz' },
    voids.map(({ occurredAt, data }) => ({ sale_id: data.saleId, business_day: data.businessDay, reason: data.reason, total_minor: data.totalMinor, occurred_at: occurredAt })),
  );
  await client.query('UPDATE sale SET voided = true WHERE station_id = hq_station() AND sale_id = ANY($1::uuid[])', [voids.map((event) => event.data.saleId)]);
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
    `ON CONFLICT (station_id, shift_id) DO UPDATE SET ${updated.map((column) => `${column} = excluded.${column}`).join(', ')} WHERE shift.last_seq < excluded.last_seq`,
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

async function projectCardOutcomes(client: pg.ClientBase, outcomes: readonly EventOf<'card_outcome'>[]): Promise<void> {
  await insertRecords(
    client,
    'card_outcome',
    {
      seq: 'bigint',
      tender_id: 'uuid',
      sale_id: 'uuid',
      scheme: 'text',
      masked_pan: 'text',
      entry_mode: 'text',
      result: 'text',
      response_code: 'text',
      approval_code: 'text',
      rrn: 'text',
      occurred_at: 'timestamptz',
    },
    outcomes.map(({ seq, occurredAt, data }) => ({
      seq,
      tender_id: data.tenderId,
      sale_id: data.saleId,
      scheme: data.scheme,
      masked_pan: data.maskedPan,
      entry_mode: data.entryMode,
      result: data.result,
      response_code: data.responseCode ?? null,
      approval_code: data.approvalCode ?? null,
      rrn: data.rrn ?? null,
      occurred_at: occurredAt,
    })),
  );
}

/** The batch's body as the station sent it and the events of it the head office did not hold yet. */
export interface NewEvents {
  readonly body: Uint8Array;
  /** Events at the head of the body that were held already. */
  readonly skipped: number;
  readonly events: readonly UploadEvent[];
}

/** Writes events the head office did not hold yet, in the station's order. */
export async function storeEvents(client: pg.ClientBase, { body, skipped, events }: NewEvents): Promise<void> {
  if (events.length === 0) return;
  await client.query(prepared('INSERT INTO event_batch (first_seq, last_seq, skipped, body) VALUES ($1, $2, $3, $4)', [events[0]!.seq, events.at(-1)!.seq, skipped, body]));
  const rollups = new RollupDeltas();
  await projectSales(client, ofType(events, 'sale'), rollups);
  await projectTenders(client, ofType(events, 'tender'), rollups);
  await projectCardOutcomes(client, ofType(events, 'card_outcome'));
  await projectVoids(client, ofType(events, 'void'), rollups);
  await projectRefunds(client, ofType(events, 'refund'), rollups);
  await projectShifts(client, ofType(events, 'shift'));
  await projectReports(client, ofType(events, 'report'));
  await projectSettlements(client, ofType(events, 'settlement'));
  await rollups.write(client);
}
