/**
 * Sales in the journal: saved whole after every change (header, lines when they changed, the
 * tenders that changed), each save one unit of work with the change's domain events; loaded whole
 * with their tenders' card legs; listed newest first by keyset on the time-ordered id, so a page
 * costs the same at the first sale as at the millionth.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Sale, SaleSummary } from '../../common/sale/model.ts';
import { vatByRate } from '../sales/pricing.ts';
import { toCardLeg } from './card-leg-row.ts';
import type { CardLegs } from './card-legs.ts';
import { lineParams, saleParams, tenderParams, toLine, toSaleHeader, toSummary, toTender, type LineSqlRow, type SaleSqlRow, type TenderSqlRow } from './sale-rows.ts';
import { saleEvents } from './sale-events.ts';
import type { UnitOfWork } from './unit-of-work.ts';

const SALE_COLUMNS = `id, station_id, receipt_number, status, currency, opened_at, updated_at, paid_at, cashier_id, shift_id, sale_discount,
  subtotal_minor, discount_minor, total_minor, vat_minor, paid_minor, refunded_minor, legacy`;
const UPDATES = SALE_COLUMNS.split(',').slice(1).map((column) => `${column.trim()} = excluded.${column.trim()}`).join(', ');

export class Sales {
  readonly #db: DatabaseSync;
  readonly #uow: UnitOfWork;
  readonly #legs: CardLegs;
  readonly #upsert;
  readonly #deleteLines;
  readonly #insertLine;
  readonly #upsertTender;
  readonly #header;
  readonly #lines;
  readonly #tenders;
  readonly #current;
  readonly #pageFirst;
  readonly #pageAfter;

  constructor(db: DatabaseSync, deps: { uow: UnitOfWork; legs: CardLegs }) {
    this.#db = db;
    this.#uow = deps.uow;
    this.#legs = deps.legs;
    this.#upsert = db.prepare(`INSERT INTO sales (${SALE_COLUMNS}) VALUES (${SALE_COLUMNS.split(',').map(() => '?').join(', ')}) ON CONFLICT (id) DO UPDATE SET ${UPDATES}`);
    this.#deleteLines = db.prepare('DELETE FROM sale_lines WHERE sale_id = ?');
    this.#insertLine = db.prepare(`INSERT INTO sale_lines VALUES (${Array.from({ length: 15 }, () => '?').join(', ')})`);
    this.#upsertTender = db.prepare(`INSERT INTO tenders (id, sale_id, type, entry_mode, state, amount_minor, received_minor, change_minor, refunded_minor, masked_pan, scheme,
        approval_code, rrn, stan, response_code, created_at, updated_at, qr) VALUES (${Array.from({ length: 18 }, () => '?').join(', ')})
      ON CONFLICT (id) DO UPDATE SET entry_mode = excluded.entry_mode, state = excluded.state, refunded_minor = excluded.refunded_minor, masked_pan = excluded.masked_pan,
        scheme = excluded.scheme, approval_code = excluded.approval_code, rrn = excluded.rrn, stan = excluded.stan, response_code = excluded.response_code, updated_at = excluded.updated_at, qr = excluded.qr`);
    this.#header = db.prepare(`SELECT ${SALE_COLUMNS} FROM sales WHERE id = ?`);
    this.#lines = db.prepare('SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY line_no');
    this.#tenders = db.prepare('SELECT * FROM tenders WHERE sale_id = ? ORDER BY id');
    this.#current = db.prepare("SELECT id FROM sales WHERE status IN ('open', 'tendering') ORDER BY id DESC");
    this.#pageFirst = db.prepare(`SELECT ${SALE_COLUMNS} FROM sales ORDER BY id DESC LIMIT ?`);
    this.#pageAfter = db.prepare(`SELECT ${SALE_COLUMNS} FROM sales WHERE id < ? ORDER BY id DESC LIMIT ?`);
  }

  /** Stores `after`, the sale `before` became by one change, with the change's events, in one unit of work. */
  save(before: Sale | undefined, after: Sale): void {
    this.#uow.atomically(() => {
      this.#upsert.run(...saleParams(after));
      if (before === undefined || JSON.stringify(before.lines) !== JSON.stringify(after.lines)) {
        this.#deleteLines.run(after.id);
        for (const line of after.lines) this.#insertLine.run(...lineParams(after.id, line));
      }
      for (const tender of after.tenders) {
        const was = before?.tenders.find((candidate) => candidate.id === tender.id);
        if (was === undefined || JSON.stringify({ ...was, legs: [] }) !== JSON.stringify({ ...tender, legs: [] })) this.#upsertTender.run(...tenderParams(after.id, tender, after.updatedAt));
      }
      for (const event of saleEvents(before, after)) this.#uow.emit(event);
    });
  }

  load(id: string): Sale | undefined {
    const row = this.#header.get(id) as SaleSqlRow | undefined;
    if (row === undefined) return undefined;
    const header = toSaleHeader(row);
    const lines = (this.#lines.all(id) as unknown as LineSqlRow[]).map((line) => toLine(line, row.currency));
    const tenders = (this.#tenders.all(id) as unknown as TenderSqlRow[]).map((tender) => ({ ...toTender(tender, row.currency), legs: this.#legs.ofTender(tender.id).map(toCardLeg) }));
    return { ...header, lines, tenders, totals: { ...header.totals, vatByRate: vatByRate(lines, row.currency) } };
  }

  /** The sales still open or tendering, newest first: the till's current one, after a restart too. */
  current(): Sale[] {
    return (this.#current.all() as { id: string }[]).flatMap((row) => this.load(row.id) ?? []);
  }

  /** Up to `limit` sales older than the sale `before` (or the newest), newest first. */
  page(before: string | undefined, limit: number): SaleSummary[] {
    const rows = (before === undefined ? this.#pageFirst.all(limit) : this.#pageAfter.all(before, limit)) as unknown as SaleSqlRow[];
    return rows.map((row) => toSummary(row, (this.#tenders.all(row.id) as unknown as TenderSqlRow[]).map((tender) => toTender(tender, row.currency))));
  }

  summary(id: string): SaleSummary | undefined {
    const row = this.#header.get(id) as SaleSqlRow | undefined;
    return row && toSummary(row, (this.#tenders.all(id) as unknown as TenderSqlRow[]).map((tender) => toTender(tender, row.currency)));
  }

  /** The sale a tender belongs to. */
  ofTender(tenderId: number): Sale | undefined {
    const row = this.#db.prepare('SELECT sale_id FROM tenders WHERE id = ?').get(tenderId) as { sale_id: string } | undefined;
    return row && this.load(row.sale_id);
  }
}
