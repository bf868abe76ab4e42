/**
 * What the head office gets of each journaled change: the station's domain events
 * (common/sale/events.ts) turned into upload events (common/head-office/upload-schema.ts) and
 * appended to the journal's outbox by an in-transaction handler, so a change and its upload commit
 * together or not at all (a kill -9 leaves both or neither).
 *
 *   sale.status_changed → paid (first time)      sale: lines, totals, VAT by rate, price-list version
 *   tender.state_changed                          tender: its state as the head office names it
 *   card_leg.status_changed of a purchase         card_outcome: masked PAN, scheme, entry mode, codes
 *   the sale voided with no void pending          void: the sale's own figures (once per sale)
 *   tender.refunded                               refund (one line per VAT rate) and its refund tender
 *   shift.opened / cash_moved / closed            shift: the snapshot with the cash figures
 *   report.printed                                report: X or Z, from the kept totals (Z as printed)
 *   batch.settled                                 settlement: the closed batch's totals
 *
 * Station tender, shift and report numbers become UUIDv7s by stationScopedId, stably. Legacy sales
 * (carried over from a journal made before sales existed, never uploaded) are left out, and so is all
 * that follows from them. A draft the upload schema refuses is never appended: it would stop every
 * later upload of the station at the head office; it is logged instead (the journal keeps the change).
 */
import { UploadEventSchema, type UploadEventDraft, type VatLine } from '../../common/head-office/upload-schema.ts';
import { uuidV7 } from '../../common/head-office/uuid-v7.ts';
import type { DomainEvent, DomainEventOf } from '../../common/sale/events.ts';
import type { Sale, Tender, TenderState } from '../../common/sale/model.ts';
import type { Journal } from '../journal/journal.ts';
import type { ShiftRecord } from '../journal/shifts.ts';
import { buildShiftReport } from '../shift/shift-report.ts';
import { stationScopedId } from './station-scoped-id.ts';

export interface JournalUploadsOptions {
  /** The station's id at the head office (its credential's). */
  readonly stationId: string;
  /** The head-office price list the catalog sells from now, if any. */
  readonly priceListVersion: () => number | undefined;
  readonly log: (line: string) => void;
}

type Draft = UploadEventDraft;
type DataOf<Type extends Draft['type']> = Extract<Draft, { type: Type }>['data'];

/** The station's tender states as the head office names them; void_pending still holds the money. */
const UPLOAD_TENDER_STATE: Record<TenderState, DataOf<'tender'>['state']> = {
  in_progress: 'pending',
  approved: 'approved',
  void_pending: 'approved',
  declined: 'declined',
  failed: 'failed',
  cancelled: 'failed',
  voided: 'voided',
};

const CARD_RESULTS = new Set(['approved', 'declined', 'failed', 'reversed', 'voided']);

/** DE22's first two digits (ISO 8583:1987 POS entry mode) as the head office names them. */
function entryModeOf(posEntryMode: string): DataOf<'card_outcome'>['entryMode'] {
  switch (posEntryMode.slice(0, 2)) {
    case '05':
      return 'chip';
    case '07':
      return 'contactless';
    case '80':
      return 'fallback';
    case '01':
      return 'manual';
    default:
      return 'swipe';
  }
}

/** The calendar day of a moment at the station (its local time zone): the day its takings belong to. */
export function businessDayOf(at: string): string {
  const day = new Date(at);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${day.getFullYear()}-${two(day.getMonth() + 1)}-${two(day.getDate())}`;
}

const ifMatches = <Key extends string>(key: Key, value: string | undefined, pattern: RegExp): { [K in Key]?: string } =>
  (value !== undefined && pattern.test(value) ? { [key]: value } : {}) as { [K in Key]?: string };

export class JournalUploads {
  readonly #journal: Journal;
  readonly #options: JournalUploadsOptions;

  constructor(journal: Journal, options: JournalUploadsOptions) {
    this.#journal = journal;
    this.#options = options;
  }

  /** Appends each change's uploads to the outbox inside the change's transaction; returns the detach. */
  attach(): () => void {
    return this.#journal.uow.handleInTransaction((event) => {
      for (const draft of this.draftsOf(event)) {
        const checked = UploadEventSchema.safeParse({ ...draft, seq: 1 });
        if (checked.success) this.#journal.outbox.append(draft);
        else this.#options.log(`head office: ${draft.type} ${draft.eventId} not queued, the upload schema refuses it: ${checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
      }
    });
  }

  /** The upload events of one domain event (most have none). */
  draftsOf(event: DomainEvent): Draft[] {
    switch (event.type) {
      case 'sale.status_changed':
        if (event.sale.legacy) return [];
        if (event.to === 'paid' && (event.from === 'open' || event.from === 'tendering')) return this.#saleUpload(event.sale.id, event.at);
        return event.to === 'voided' ? this.#voidOnceSettled(event.sale.id, event.at) : [];
      case 'tender.state_changed':
        if (event.sale.legacy || UPLOAD_TENDER_STATE[event.from] === UPLOAD_TENDER_STATE[event.to]) return this.#voidOnceSettled(event.saleId, event.at, event.sale.status);
        return [this.#draft('tender', event.at, this.#tenderData(event.sale.id, event.sale.openedAt, event.tender, event.at)), ...this.#voidOnceSettled(event.saleId, event.at, event.sale.status)];
      case 'tender.refunded':
        return event.sale.legacy ? [] : this.#refund(event);
      case 'card_leg.status_changed':
        return this.#cardOutcome(event);
      case 'shift.opened':
      case 'shift.cash_moved':
      case 'shift.closed':
        return this.#shift(event.shiftId, event.at);
      case 'report.printed':
        return this.#report(event);
      case 'batch.settled':
        return this.#settlement(event);
      default:
        return [];
    }
  }

  #draft<Type extends Draft['type']>(type: Type, at: string, data: DataOf<Type>, eventId: string = uuidV7(Date.parse(at))): Draft {
    return { eventId, stationId: this.#options.stationId, occurredAt: at, type, data } as Draft;
  }

  #id(kind: string, key: string, at: string): string {
    return stationScopedId(this.#options.stationId, kind, key, at);
  }

  /** The head office's id of a station tender: stable, from its sale and number. */
  tenderId(saleId: string, saleOpenedAt: string, tenderId: number): string {
    return this.#id('tender', `${saleId}/${tenderId}`, saleOpenedAt);
  }

  /** The head office's id of a station shift. */
  shiftId(shift: Pick<ShiftRecord, 'id' | 'openedAt'>): string {
    return this.#id('shift', String(shift.id), shift.openedAt);
  }

  #tenderData(saleId: string, saleOpenedAt: string, tender: Omit<Tender, 'legs'>, at: string): DataOf<'tender'> {
    const cash = tender.type === 'cash' && tender.received !== undefined && tender.change !== undefined && tender.received.amountMinor - tender.change.amountMinor === tender.amount.amountMinor;
    return {
      tenderId: this.tenderId(saleId, saleOpenedAt, tender.id),
      saleId,
      purpose: 'payment',
      kind: tender.type,
      state: UPLOAD_TENDER_STATE[tender.state],
      businessDay: businessDayOf(at),
      currency: tender.amount.currency,
      amountMinor: tender.amount.amountMinor,
      ...(tender.type === 'card' && tender.card ? { scheme: tender.card.scheme } : {}),
      ...(cash ? { cashGivenMinor: tender.received!.amountMinor, changeMinor: tender.change!.amountMinor } : {}),
    };
  }

  #saleUpload(saleId: string, at: string): Draft[] {
    const sale = this.#journal.sales.load(saleId);
    if (!sale) return [];
    const version = this.#options.priceListVersion();
    return [this.#draft('sale', at, { ...saleFigures(sale), lines: sale.lines.map(uploadLine), subtotalMinor: 0, discountMinor: 0, businessDay: businessDayOf(sale.paidAt ?? at), ...(version ? { priceListVersion: version } : {}) }, this.#id('sale', sale.id, sale.openedAt))].map(withSubtotals);
  }

  /**
   * A void goes up once its sale is voided and no tender waits for the host any more: a void the host
   * refuses puts the sale back to paid (main/checkout/sale-recovery.ts), and the head office keeps
   * no "unvoided". Its event id is the sale's, so two events of one change never make two voids.
   */
  #voidOnceSettled(saleId: string, at: string, status?: Sale['status']): Draft[] {
    if (status !== undefined && status !== 'voided') return [];
    const sale = this.#journal.sales.load(saleId);
    if (!sale || sale.legacy || sale.status !== 'voided' || sale.paidAt === undefined || sale.tenders.some((tender) => tender.state === 'void_pending')) return [];
    const eventId = this.#id('void', sale.id, sale.openedAt);
    if (this.#journal.outbox.holds(eventId)) return [];
    // A sale paid before this station had a head office never went up: its void would be refused
    // (unknown_sale) and stop every upload behind it. (The outbox keeps a sale's upload for weeks
    // after it is acknowledged; a sale is voided the day it is made, refunded later.)
    if (!this.#journal.outbox.holds(this.#id('sale', sale.id, sale.openedAt))) {
      this.#options.log(`head office: the void of sale ${sale.receiptNumber} is not sent: the head office never had the sale`);
      return [];
    }
    const { currency, totalMinor, vatMinor, vatBreakdown } = saleFigures(sale);
    return [this.#draft('void', at, { saleId: sale.id, businessDay: businessDayOf(at), reason: 'voided at the station', currency, totalMinor, vatMinor, vatBreakdown }, eventId)];
  }

  /** A refund of part or all of a tender: one line per VAT rate (what the station knows of it), and the money paid out as a refund tender. */
  #refund(event: DomainEventOf<'tender.refunded'>): Draft[] {
    const { tender, amount, at } = event;
    const refundId = this.#id('refund', `${event.saleId}/${tender.id}/${tender.refunded.amountMinor}`, at);
    const lines = event.vatByRate.map((rate, index) => ({
      lineNo: index + 1,
      sku: `refund-vat-${rate.rateBp}`,
      name: `refund of tender ${tender.id}`,
      quantity: 1,
      unitPriceMinor: rate.amount.amountMinor,
      lineDiscountMinor: 0,
      vatRateBp: rate.rateBp,
      vatMinor: rate.vat.amountMinor,
      lineTotalMinor: rate.amount.amountMinor,
    }));
    const vatMinor = lines.reduce((sum, line) => sum + line.vatMinor, 0);
    const businessDay = businessDayOf(at);
    return [
      this.#draft('refund', at, {
        refundId,
        originalSaleId: event.saleId,
        businessDay,
        reason: 'refunded at the station',
        currency: amount.currency,
        lines,
        subtotalMinor: amount.amountMinor,
        vatMinor,
        totalMinor: amount.amountMinor,
        vatBreakdown: lines.map((line) => ({ vatRateBp: line.vatRateBp, grossMinor: line.lineTotalMinor, vatMinor: line.vatMinor })),
      }),
      this.#draft('tender', at, {
        tenderId: this.#id('refund-tender', refundId, at),
        saleId: refundId,
        purpose: 'refund',
        kind: tender.type,
        state: 'approved',
        businessDay,
        currency: amount.currency,
        amountMinor: amount.amountMinor,
        ...(tender.type === 'card' && tender.card ? { scheme: tender.card.scheme } : {}),
      }),
    ];
  }

  #cardOutcome(event: DomainEventOf<'card_leg.status_changed'>): Draft[] {
    const { leg, saleId } = event;
    if (leg.kind !== 'purchase' || !CARD_RESULTS.has(leg.status) || saleId === undefined) return [];
    const sale = this.#journal.sales.load(saleId);
    const tender = sale?.tenders.find((candidate) => candidate.legs.some((candidate) => candidate.id === leg.id));
    if (!sale || sale.legacy || !tender) return [];
    return [
      this.#draft('card_outcome', event.at, {
        tenderId: this.tenderId(sale.id, sale.openedAt, tender.id),
        saleId: sale.id,
        scheme: leg.scheme,
        maskedPan: leg.maskedPan,
        entryMode: entryModeOf(leg.posEntryMode),
        result: leg.status as DataOf<'card_outcome'>['result'],
        ...ifMatches('responseCode', leg.responseCode, /^[0-9A-Z]{2}$/),
        ...ifMatches('approvalCode', leg.approvalCode, /^[0-9A-Za-z ]{1,6}$/),
        ...ifMatches('rrn', leg.rrn, /^[0-9A-Za-z]{1,12}$/),
      }),
    ];
  }

  #shift(shiftId: number, at: string): Draft[] {
    const shift = this.#journal.shifts.byId(shiftId);
    if (!shift) return [];
    const { cash } = this.#reportOf('X', shift);
    const counted = shift.countedMinor;
    return [
      this.#draft('shift', at, {
        shiftId: this.shiftId(shift),
        businessDay: businessDayOf(shift.openedAt),
        state: shift.status,
        cashier: shift.openedBy,
        openedAt: shift.openedAt,
        currency: shift.currency,
        openingFloatMinor: shift.floatMinor,
        paidInMinor: cash.paidIn.amountMinor,
        paidOutMinor: cash.paidOut.amountMinor,
        cashSalesMinor: cash.sales.amountMinor,
        cashRefundsMinor: cash.refunds.amountMinor,
        expectedCashMinor: cash.expected.amountMinor,
        ...(shift.status === 'closed' && counted !== undefined ? { closedAt: shift.closedAt!, countedCashMinor: counted, overShortMinor: counted - cash.expected.amountMinor } : {}),
      }),
    ];
  }

  /** An X report as it reads now; a Z report as printed and kept with the shift. */
  #reportOf(kind: 'X' | 'Z', shift: ShiftRecord) {
    if (kind === 'Z' && shift.zReport !== undefined) return JSON.parse(shift.zReport) as ReturnType<typeof buildShiftReport>;
    const batch = this.#journal.batches.open();
    return buildShiftReport({ kind, shift, shiftTotals: this.#journal.totals.read('shift', shift.id), batch: { batchNumber: batch.batchNumber, totals: this.#journal.totals.read('batch', batch.id) }, at: new Date() });
  }

  #report(event: DomainEventOf<'report.printed'>): Draft[] {
    const shift = this.#journal.shifts.byId(event.shiftId);
    if (!shift) return [];
    const report = this.#reportOf(event.kind, shift);
    return [
      this.#draft('report', event.at, {
        reportId: this.#id('report', `${event.kind}/${shift.id}/${event.at}`, event.at),
        kind: event.kind,
        // One Z closes one shift: the Z counter is the shift's number; an X repeats the last Z's.
        number: event.kind === 'Z' ? shift.id : shift.id - 1,
        businessDay: businessDayOf(event.at),
        shiftId: this.shiftId(shift),
        currency: shift.currency,
        sales: { count: report.sales.count, amountMinor: report.sales.amount.amountMinor },
        refunds: { count: report.refunds.total.count, amountMinor: report.refunds.total.amount.amountMinor },
        voids: { count: report.voids.count, amountMinor: report.voids.amount.amountMinor },
        netMinor: report.sales.amount.amountMinor - report.refunds.total.amount.amountMinor,
        vatBreakdown: report.byVatRate.map((rate) => ({ vatRateBp: rate.rateBp, grossMinor: rate.amount.amountMinor, vatMinor: rate.vat.amountMinor })),
        tenders: report.byTender.map((row) => ({ kind: row.type, count: row.count, amountMinor: row.amount.amountMinor })),
      }),
    ];
  }

  #settlement(event: DomainEventOf<'batch.settled'>): Draft[] {
    const closed = this.#journal.batches.closed(1)[0];
    if (!closed || closed.batchNumber !== event.batchNumber) return [];
    const { debits, credits } = closed.totals;
    return [
      this.#draft('settlement', event.at, {
        batchNumber: event.batchNumber,
        businessDay: businessDayOf(event.at),
        result: event.result === 'in_balance_after_upload' ? 'in_balance_after_upload' : 'in_balance',
        currency: debits.amount.currency,
        debits: { count: debits.count, amountMinor: debits.amount.amountMinor },
        credits: { count: credits.count, amountMinor: credits.amount.amountMinor },
      }),
    ];
  }
}

/** A sale's totals as the head office keeps them: VAT by rate after the whole-sale discount (the station's, which add up to the total). */
function saleFigures(sale: Sale): { saleId: string; currency: Sale['currency']; totalMinor: number; vatMinor: number; vatBreakdown: VatLine[] } {
  return {
    saleId: sale.id,
    currency: sale.currency,
    totalMinor: sale.totals.total.amountMinor,
    vatMinor: sale.totals.vat.amountMinor,
    vatBreakdown: sale.totals.vatByRate.map((rate) => ({ vatRateBp: rate.rateBp, grossMinor: rate.amount.amountMinor, vatMinor: rate.vat.amountMinor })),
  };
}

/**
 * A line as sold: its total is before the whole-sale discount (quantity × unit price − line
 * discount), its VAT after its share of it (what the station's VAT breakdown adds up).
 */
function uploadLine(line: Sale['lines'][number]): DataOf<'sale'>['lines'][number] {
  return {
    lineNo: line.lineNo,
    sku: line.sku,
    name: line.name['zh-CN'] || line.name.en,
    quantity: line.quantity,
    unitPriceMinor: line.unitPrice.amountMinor,
    lineDiscountMinor: line.lineDiscountAmount.amountMinor,
    vatRateBp: line.vatRateBp,
    vatMinor: line.vat.amountMinor,
    lineTotalMinor: line.gross.amountMinor - line.lineDiscountAmount.amountMinor,
  };
}

/** Subtotal (Σ line totals) and the whole-sale discount (what is left between it and the total). */
function withSubtotals(draft: Draft): Draft {
  if (draft.type !== 'sale') return draft;
  const subtotalMinor = draft.data.lines.reduce((sum, line) => sum + line.lineTotalMinor, 0);
  return { ...draft, data: { ...draft.data, subtotalMinor, discountMinor: subtotalMinor - draft.data.totalMinor } };
}
