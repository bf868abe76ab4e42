/**
 * What a station uploads to the head office: a batch (the envelope) of events from its outbox, in
 * the station's own sequence. Versioned: a station sends `schemaVersion`, the head office refuses a
 * version it does not know before it looks at anything else.
 *
 * Every object is strict: a field the schema does not name is refused, so nothing rides along by
 * accident. Card data never goes beyond the masked PAN (first 6 / last 4 at most) and the scheme.
 * Amounts are integer minor units of the event's `currency`.
 */
import { z } from 'zod';
import { isMaskedPan } from '../card/pan.ts';
import { CARD_SCHEMES } from '../card/scheme.ts';
import { VatRateBpSchema } from '../catalog.ts';
import { MAX_AMOUNT_MINOR } from '../money.ts';
import { CurrencySchema } from '../payment.ts';

export const UPLOAD_SCHEMA_VERSION = 1;
export const SUPPORTED_UPLOAD_SCHEMA_VERSIONS: readonly number[] = [UPLOAD_SCHEMA_VERSION];
/** Events per batch at most: large enough to catch up fast, small enough for one short transaction. */
export const MAX_EVENTS_PER_BATCH = 2000;

/** A station id: shop and counter, e.g. "SH01-02". Letters, digits, dot, dash, underscore. */
export const StationIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a station id of letters, digits, ".", "-" or "_"');
const Minor = z.number().int().min(0).max(MAX_AMOUNT_MINOR);
/** Over/short of a cash count: negative when the drawer is short. */
const SignedMinor = z.number().int().min(-MAX_AMOUNT_MINOR).max(MAX_AMOUNT_MINOR);
const Count = z.number().int().min(0);
const BusinessDay = z.iso.date();
const Instant = z.iso.datetime({ offset: true });
const Id = z.uuidv7();

export const VatLineSchema = z.strictObject({ vatRateBp: VatRateBpSchema, grossMinor: Minor, vatMinor: Minor });
export type VatLine = z.infer<typeof VatLineSchema>;

export const SaleLineSchema = z.strictObject({
  lineNo: z.number().int().min(1),
  sku: z.string().min(1).max(64),
  /** The name as sold and printed, in the station's language at the time. */
  name: z.string().max(200),
  quantity: z.number().int().min(1),
  unitPriceMinor: Minor,
  lineDiscountMinor: Minor,
  vatRateBp: VatRateBpSchema,
  /** VAT contained in the line total (prices are VAT-inclusive). */
  vatMinor: Minor,
  /** quantity × unit price − line discount. */
  lineTotalMinor: Minor,
});
export type SaleLine = z.infer<typeof SaleLineSchema>;

type Issue = (message: string, path: (string | number)[]) => void;
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

function checkLines(lines: readonly SaleLine[], subtotalMinor: number, issue: Issue): void {
  lines.forEach((line, index) => {
    if (line.lineTotalMinor !== line.quantity * line.unitPriceMinor - line.lineDiscountMinor) issue('lineTotalMinor is not quantity × unitPriceMinor − lineDiscountMinor', ['lines', index, 'lineTotalMinor']);
    if (line.vatMinor > line.lineTotalMinor) issue('vatMinor exceeds the line total', ['lines', index, 'vatMinor']);
    if (line.lineNo !== index + 1) issue('lines are numbered 1, 2, 3, … in order', ['lines', index, 'lineNo']);
  });
  if (sum(lines.map((line) => line.lineTotalMinor)) !== subtotalMinor) issue('subtotalMinor is not the sum of the line totals', ['subtotalMinor']);
}

/** The VAT summary per rate, as a fiscal receipt prints it: it adds up to the total and the VAT. */
function checkVatBreakdown(breakdown: readonly VatLine[], totalMinor: number, vatMinor: number, issue: Issue): void {
  if (sum(breakdown.map((line) => line.grossMinor)) !== totalMinor) issue('the VAT breakdown does not add up to totalMinor', ['vatBreakdown']);
  if (sum(breakdown.map((line) => line.vatMinor)) !== vatMinor) issue('the VAT breakdown does not add up to vatMinor', ['vatBreakdown']);
  if (new Set(breakdown.map((line) => line.vatRateBp)).size !== breakdown.length) issue('one VAT breakdown line per rate', ['vatBreakdown']);
}

const issuer =
  (ctx: z.core.$RefinementCtx): Issue =>
  (message, path) =>
    ctx.addIssue({ code: 'custom', message, path });

/**
 * A completed sale. `discountMinor` is a discount on the whole sale; the VAT breakdown is after it
 * (the station apportions it), so it adds up to the total actually paid.
 */
export const SaleDataSchema = z
  .strictObject({
    saleId: Id,
    businessDay: BusinessDay,
    currency: CurrencySchema,
    lines: z.array(SaleLineSchema).min(1).max(500),
    subtotalMinor: Minor,
    discountMinor: Minor,
    vatMinor: Minor,
    totalMinor: Minor,
    vatBreakdown: z.array(VatLineSchema).min(1),
    /** The head-office price list the station sold from, when it had one. */
    priceListVersion: z.number().int().min(1).optional(),
  })
  .superRefine((sale, ctx) => {
    const issue = issuer(ctx);
    checkLines(sale.lines, sale.subtotalMinor, issue);
    if (sale.totalMinor !== sale.subtotalMinor - sale.discountMinor) issue('totalMinor is not subtotalMinor − discountMinor', ['totalMinor']);
    checkVatBreakdown(sale.vatBreakdown, sale.totalMinor, sale.vatMinor, issue);
  });

export const TENDER_KINDS = ['card', 'cash', 'qr'] as const;
export type TenderKind = (typeof TENDER_KINDS)[number];
/**
 * pending: asked for, no answer yet · approved: the money is taken (cash: handed over) · declined ·
 * failed: never reached the host · voided: cancelled after approval · reversed: cancelled by a
 * reversal (a timeout or a void sent as 0400). Only `approved` counts in the takings.
 */
export const TENDER_STATES = ['pending', 'approved', 'declined', 'failed', 'voided', 'reversed'] as const;
export type TenderState = (typeof TENDER_STATES)[number];
/** Card schemes, and for QR the wallet's name. Cash has none. */
export const TenderSchemeSchema = z.string().regex(/^[a-z][a-z0-9_]{1,31}$/);

/** A tender each time its state changes; the head office keeps the latest. */
export const TenderDataSchema = z
  .strictObject({
    tenderId: Id,
    /** The sale it pays, or the refund it pays out. */
    saleId: Id,
    purpose: z.enum(['payment', 'refund']),
    kind: z.enum(TENDER_KINDS),
    state: z.enum(TENDER_STATES),
    businessDay: BusinessDay,
    currency: CurrencySchema,
    amountMinor: Minor,
    scheme: TenderSchemeSchema.optional(),
    /** Cash only: what the customer handed over, and the change given. */
    cashGivenMinor: Minor.optional(),
    changeMinor: Minor.optional(),
  })
  .superRefine((tender, ctx) => {
    const issue = issuer(ctx);
    if (tender.kind === 'cash' && tender.scheme !== undefined) issue('a cash tender has no scheme', ['scheme']);
    if (tender.kind === 'card' && tender.scheme !== undefined && !(CARD_SCHEMES as readonly string[]).includes(tender.scheme)) issue(`a card scheme is one of ${CARD_SCHEMES.join(', ')}`, ['scheme']);
    if (tender.kind !== 'cash' && (tender.cashGivenMinor !== undefined || tender.changeMinor !== undefined)) issue('only cash has cash given and change', ['cashGivenMinor']);
    if (tender.cashGivenMinor !== undefined && tender.cashGivenMinor - (tender.changeMinor ?? 0) !== tender.amountMinor) issue('cash given − change is not the amount', ['changeMinor']);
  });

export const ENTRY_MODES = ['swipe', 'chip', 'contactless', 'fallback', 'manual'] as const;
/** One card authorization attempt of a tender. Card data: the masked PAN and the scheme, nothing more. */
export const CardOutcomeDataSchema = z.strictObject({
  tenderId: Id,
  saleId: Id,
  scheme: z.enum(CARD_SCHEMES),
  maskedPan: z.string().refine(isMaskedPan, 'a masked PAN: first 6 and last 4 digits at most, * between, or all *'),
  entryMode: z.enum(ENTRY_MODES),
  result: z.enum(['approved', 'declined', 'failed', 'reversed', 'voided']),
  responseCode: z.string().regex(/^[0-9A-Z]{2}$/).optional(),
  approvalCode: z.string().regex(/^[0-9A-Za-z ]{1,6}$/).optional(),
  rrn: z.string().regex(/^[0-9A-Za-z]{1,12}$/).optional(),
});

/** A completed sale cancelled on the station. It carries the amounts it takes back, for the rollups. */
export const VoidDataSchema = z
  .strictObject({
    saleId: Id,
    businessDay: BusinessDay,
    reason: z.string().max(200),
    currency: CurrencySchema,
    totalMinor: Minor,
    vatMinor: Minor,
    vatBreakdown: z.array(VatLineSchema).min(1),
  })
  .superRefine((voided, ctx) => checkVatBreakdown(voided.vatBreakdown, voided.totalMinor, voided.vatMinor, issuer(ctx)));

/** Money given back for goods returned; with or without the original sale at hand. */
export const RefundDataSchema = z
  .strictObject({
    refundId: Id,
    originalSaleId: Id.optional(),
    businessDay: BusinessDay,
    reason: z.string().max(200),
    currency: CurrencySchema,
    lines: z.array(SaleLineSchema).min(1).max(500),
    subtotalMinor: Minor,
    vatMinor: Minor,
    totalMinor: Minor,
    vatBreakdown: z.array(VatLineSchema).min(1),
  })
  .superRefine((refund, ctx) => {
    const issue = issuer(ctx);
    checkLines(refund.lines, refund.subtotalMinor, issue);
    if (refund.totalMinor !== refund.subtotalMinor) issue('a refund has no sale discount: totalMinor is subtotalMinor', ['totalMinor']);
    checkVatBreakdown(refund.vatBreakdown, refund.totalMinor, refund.vatMinor, issue);
  });

/**
 * A cashier's shift as it stands: sent when it opens, when cash moves in or out, and when it is
 * counted and closed. The head office keeps the latest. Expected cash is float + cash sales − cash
 * refunds + paid in − paid out; over/short is counted − expected.
 */
export const ShiftDataSchema = z
  .strictObject({
    shiftId: Id,
    businessDay: BusinessDay,
    state: z.enum(['open', 'closed']),
    cashier: z.string().max(64),
    openedAt: Instant,
    closedAt: Instant.optional(),
    currency: CurrencySchema,
    openingFloatMinor: Minor,
    paidInMinor: Minor,
    paidOutMinor: Minor,
    cashSalesMinor: Minor,
    cashRefundsMinor: Minor,
    expectedCashMinor: SignedMinor,
    countedCashMinor: Minor.optional(),
    overShortMinor: SignedMinor.optional(),
  })
  .superRefine((shift, ctx) => {
    const issue = issuer(ctx);
    const expected = shift.openingFloatMinor + shift.cashSalesMinor - shift.cashRefundsMinor + shift.paidInMinor - shift.paidOutMinor;
    if (shift.expectedCashMinor !== expected) issue('expectedCashMinor is not float + cash sales − cash refunds + paid in − paid out', ['expectedCashMinor']);
    if (shift.state === 'closed') {
      if (shift.closedAt === undefined || shift.countedCashMinor === undefined || shift.overShortMinor === undefined) issue('a closed shift has closedAt, countedCashMinor and overShortMinor', ['state']);
      else if (shift.overShortMinor !== shift.countedCashMinor - shift.expectedCashMinor) issue('overShortMinor is not counted − expected', ['overShortMinor']);
    } else if (shift.closedAt !== undefined || shift.countedCashMinor !== undefined || shift.overShortMinor !== undefined) {
      issue('an open shift has no count yet', ['state']);
    }
  });

const CountAmount = z.strictObject({ count: Count, amountMinor: Minor });

/** An X report (a reading, nothing reset) or a Z report (the day closed, its counter advanced). */
export const ReportDataSchema = z.strictObject({
  reportId: Id,
  kind: z.enum(['X', 'Z']),
  /** The Z counter; X reports repeat the last Z's number. */
  number: z.number().int().min(0),
  businessDay: BusinessDay,
  shiftId: Id.optional(),
  currency: CurrencySchema,
  sales: CountAmount,
  refunds: CountAmount,
  voids: CountAmount,
  netMinor: SignedMinor,
  vatBreakdown: z.array(VatLineSchema),
  tenders: z.array(z.strictObject({ kind: z.enum(TENDER_KINDS), scheme: TenderSchemeSchema.optional(), count: Count, amountMinor: Minor })),
});

export const SETTLEMENT_OUTCOMES = ['in_balance', 'in_balance_after_upload', 'out_of_balance', 'failed'] as const;
/** The acquirer batch close (0500): whether the station's totals agreed with the host's. */
export const SettlementDataSchema = z.strictObject({
  batchNumber: z.string().regex(/^\d{6}$/),
  businessDay: BusinessDay,
  result: z.enum(SETTLEMENT_OUTCOMES),
  responseCode: z.string().regex(/^[0-9A-Z]{2}$/).optional(),
  currency: CurrencySchema,
  debits: CountAmount,
  credits: CountAmount,
});

const eventOf = <Type extends string, Data extends z.ZodType>(type: Type, data: Data) =>
  z.strictObject({
    /** Unique across the chain and forever: the idempotence key. */
    eventId: Id,
    /** The station's outbox sequence: 1, 2, 3, … with no gaps, never reused. */
    seq: z.number().int().min(1),
    stationId: StationIdSchema,
    occurredAt: Instant,
    type: z.literal(type),
    data,
  });

export const UploadEventSchema = z.discriminatedUnion('type', [
  eventOf('sale', SaleDataSchema),
  eventOf('tender', TenderDataSchema),
  eventOf('card_outcome', CardOutcomeDataSchema),
  eventOf('void', VoidDataSchema),
  eventOf('refund', RefundDataSchema),
  eventOf('shift', ShiftDataSchema),
  eventOf('report', ReportDataSchema),
  eventOf('settlement', SettlementDataSchema),
]);
export type UploadEvent = z.infer<typeof UploadEventSchema>;
export type UploadEventType = UploadEvent['type'];
type WithoutSeq<Event> = Event extends unknown ? Omit<Event, 'seq'> : never;
/** An event before the outbox gives it its sequence number. */
export type UploadEventDraft = WithoutSeq<UploadEvent>;
export type EventData<Type extends UploadEventType> = Extract<UploadEvent, { type: Type }>['data'];
export const UPLOAD_EVENT_TYPES = UploadEventSchema.options.map((option) => option.shape.type.value) as UploadEventType[];

/** What the head office checks first, so an unknown version is refused as such, not as malformed. */
export const SchemaVersionProbe = z.object({ schemaVersion: z.number().int() });

export const UploadBatchSchema = z
  .strictObject({
    schemaVersion: z.literal(UPLOAD_SCHEMA_VERSION),
    stationId: StationIdSchema,
    /** The uploader's id for this attempt, for logs on both sides. */
    batchId: z.uuid(),
    /** The station's newest outbox sequence when it sent this: the head office shows the backlog. */
    stationLastSeq: z.number().int().min(0),
    /** May be empty: a heartbeat, so the head office knows an idle station is alive. */
    events: z.array(UploadEventSchema).max(MAX_EVENTS_PER_BATCH),
  })
  .superRefine((batch, ctx) => {
    const issue = issuer(ctx);
    batch.events.forEach((event, index) => {
      if (index > 0 && event.seq !== batch.events[index - 1]!.seq + 1) issue('events are in sequence order with no gaps inside a batch', ['events', index, 'seq']);
    });
    if (new Set(batch.events.map((event) => event.eventId)).size !== batch.events.length) issue('an event id appears twice in the batch', ['events']);
    const last = batch.events.at(-1);
    if (last && batch.stationLastSeq < last.seq) issue('stationLastSeq is below the batch’s last sequence', ['stationLastSeq']);
  });
export type UploadBatch = z.infer<typeof UploadBatchSchema>;
