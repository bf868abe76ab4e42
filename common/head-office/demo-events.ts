/**
 * A demo station's events, every figure consistent (lines, VAT, tenders, cash counts): what the
 * tests, the benchmark and a demo head office upload before real stations are wired to it. Random
 * but reproducible from a seed.
 */
import type { VatRateBp } from '../catalog.ts';
import type { CurrencyCode } from '../money.ts';
import type { SaleLine, UploadEvent, UploadEventDraft, VatLine } from './upload-schema.ts';
import { uuidV7 } from './uuid-v7.ts';

const ITEMS: readonly { sku: string; name: string; priceMinor: number; vatRateBp: VatRateBp }[] = [
  { sku: 'TEA-001', name: '茉莉花茶', priceMinor: 450, vatRateBp: 1300 },
  { sku: 'COF-001', name: '美式咖啡', priceMinor: 1500, vatRateBp: 1300 },
  { sku: 'BAO-001', name: '猪肉包子', priceMinor: 300, vatRateBp: 900 },
  { sku: 'NOO-001', name: '方便面', priceMinor: 550, vatRateBp: 900 },
  { sku: 'SNK-001', name: '薯片', priceMinor: 790, vatRateBp: 1300 },
  { sku: 'SVC-001', name: '手机充值服务', priceMinor: 5000, vatRateBp: 600 },
];
const CARD_SCHEMES = ['unionpay', 'visa', 'mastercard'] as const;
const WALLETS = ['alipay', 'wechat_pay'] as const;

/** VAT contained in a VAT-inclusive amount, rounded half up: gross × rate / (10000 + rate). */
export function vatIncluded(grossMinor: number, vatRateBp: number): number {
  return Math.floor((grossMinor * vatRateBp * 2 + (10_000 + vatRateBp)) / (2 * (10_000 + vatRateBp)));
}

export function vatBreakdown(lines: readonly Pick<SaleLine, 'vatRateBp' | 'lineTotalMinor' | 'vatMinor'>[]): VatLine[] {
  const byRate = new Map<VatRateBp, VatLine>();
  for (const line of lines) {
    const entry = byRate.get(line.vatRateBp) ?? { vatRateBp: line.vatRateBp, grossMinor: 0, vatMinor: 0 };
    entry.grossMinor += line.lineTotalMinor;
    entry.vatMinor += line.vatMinor;
    byRate.set(line.vatRateBp, entry);
  }
  return [...byRate.values()];
}

/** mulberry32: a small seeded generator, so a demo station's day is the same every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface DemoSale {
  readonly saleId: string;
  readonly businessDay: string;
  readonly totalMinor: number;
  readonly vatMinor: number;
  readonly vatBreakdown: VatLine[];
  readonly tender: 'card' | 'cash' | 'qr';
}

export interface DemoStationOptions {
  readonly stationId: string;
  readonly seed?: number;
  readonly currency?: CurrencyCode;
  /** The clock of the events (ms); each event moves it on by a few seconds. */
  readonly startAt?: number;
}

export class DemoStation {
  readonly stationId: string;
  private readonly next: () => number;
  private readonly currency: CurrencyCode;
  private clock: number;

  constructor(options: DemoStationOptions) {
    this.stationId = options.stationId;
    this.next = random(options.seed ?? 1);
    this.currency = options.currency ?? 'CNY';
    this.clock = options.startAt ?? Date.UTC(2026, 0, 5, 1, 0, 0);
  }

  /** The business day of the current clock, in China (UTC+8). */
  get businessDay(): string {
    return new Date(this.clock + 8 * 3_600_000).toISOString().slice(0, 10);
  }

  /** Moves the clock on, e.g. to the next day. */
  advance(ms: number): void {
    this.clock += ms;
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)]!;
  }

  private event<Type extends UploadEvent['type']>(type: Type, data: Extract<UploadEvent, { type: Type }>['data']): UploadEventDraft {
    this.clock += 1000 + Math.floor(this.next() * 30_000);
    return { eventId: uuidV7(this.clock), stationId: this.stationId, occurredAt: new Date(this.clock).toISOString(), type, data } as UploadEventDraft;
  }

  /** A sale of 1–5 lines, paid by card (with its card leg), cash or QR: 2 or 3 events. */
  sale(tender: 'card' | 'cash' | 'qr' = this.pick(['card', 'card', 'cash', 'qr'] as const)): { events: UploadEventDraft[]; sale: DemoSale } {
    const lineCount = 1 + Math.floor(this.next() * 5);
    const lines: SaleLine[] = Array.from({ length: lineCount }, (_, index) => {
      const item = this.pick(ITEMS);
      const quantity = 1 + Math.floor(this.next() * 3);
      const lineDiscountMinor = this.next() < 0.1 ? 50 : 0;
      const lineTotalMinor = quantity * item.priceMinor - lineDiscountMinor;
      return {
        lineNo: index + 1,
        sku: item.sku,
        name: item.name,
        quantity,
        unitPriceMinor: item.priceMinor,
        lineDiscountMinor,
        vatRateBp: item.vatRateBp,
        vatMinor: vatIncluded(lineTotalMinor, item.vatRateBp),
        lineTotalMinor,
      };
    });
    const subtotalMinor = lines.reduce((total, line) => total + line.lineTotalMinor, 0);
    const breakdown = vatBreakdown(lines);
    const vatMinor = breakdown.reduce((total, line) => total + line.vatMinor, 0);
    const saleId = uuidV7(this.clock);
    const businessDay = this.businessDay;
    const common = { saleId, businessDay, currency: this.currency } as const;
    const events: UploadEventDraft[] = [
      this.event('sale', { ...common, lines, subtotalMinor, discountMinor: 0, vatMinor, totalMinor: subtotalMinor, vatBreakdown: breakdown }),
    ];
    const tenderId = uuidV7(this.clock);
    const tenderData = { tenderId, saleId, purpose: 'payment', kind: tender, state: 'approved', businessDay, currency: this.currency, amountMinor: subtotalMinor } as const;
    if (tender === 'card') {
      const scheme = this.pick(CARD_SCHEMES);
      const prefix = scheme === 'unionpay' ? '621234' : scheme === 'visa' ? '476173' : '545454';
      events.push(
        this.event('card_outcome', {
          tenderId,
          saleId,
          scheme,
          maskedPan: `${prefix}******${String(Math.floor(this.next() * 10_000)).padStart(4, '0')}`,
          entryMode: 'swipe',
          result: 'approved',
          responseCode: '00',
          approvalCode: String(Math.floor(this.next() * 1_000_000)).padStart(6, '0'),
          rrn: String(Math.floor(this.next() * 1e12)).padStart(12, '0'),
        }),
        this.event('tender', { ...tenderData, scheme }),
      );
    } else if (tender === 'qr') {
      events.push(this.event('tender', { ...tenderData, scheme: this.pick(WALLETS) }));
    } else {
      const cashGivenMinor = Math.ceil(subtotalMinor / 1000) * 1000;
      events.push(this.event('tender', { ...tenderData, cashGivenMinor, changeMinor: cashGivenMinor - subtotalMinor }));
    }
    return { events, sale: { saleId, businessDay, totalMinor: subtotalMinor, vatMinor, vatBreakdown: breakdown, tender } };
  }

  /** Cancels a sale (its tender is voided first). */
  voidSale(sale: DemoSale, tenderId?: string): UploadEventDraft[] {
    const events: UploadEventDraft[] = [];
    if (tenderId) {
      events.push(
        this.event('tender', { tenderId, saleId: sale.saleId, purpose: 'payment', kind: sale.tender, state: 'voided', businessDay: sale.businessDay, currency: this.currency, amountMinor: sale.totalMinor }),
      );
    }
    events.push(
      this.event('void', { saleId: sale.saleId, businessDay: this.businessDay, reason: 'customer changed their mind', currency: this.currency, totalMinor: sale.totalMinor, vatMinor: sale.vatMinor, vatBreakdown: sale.vatBreakdown }),
    );
    return events;
  }

  /** A shift opened with a float, then counted and closed `overShortMinor` off. */
  shift(cashSalesMinor: number, overShortMinor = 0): UploadEventDraft[] {
    const shiftId = uuidV7(this.clock);
    const openedAt = new Date(this.clock).toISOString();
    const base = {
      shiftId,
      businessDay: this.businessDay,
      cashier: 'Li Wei',
      openedAt,
      currency: this.currency,
      openingFloatMinor: 50_000,
      paidInMinor: 0,
      paidOutMinor: 2_000,
      cashRefundsMinor: 0,
    } as const;
    const opened = this.event('shift', { ...base, state: 'open', cashSalesMinor: 0, expectedCashMinor: 48_000 });
    const expectedCashMinor = 48_000 + cashSalesMinor;
    const closedAt = new Date(this.clock + 1000).toISOString();
    const closed = this.event('shift', { ...base, state: 'closed', closedAt, cashSalesMinor, expectedCashMinor, countedCashMinor: expectedCashMinor + overShortMinor, overShortMinor });
    return [opened, closed];
  }

  settlement(batchNumber: string, debits: { count: number; amountMinor: number }): UploadEventDraft {
    return this.event('settlement', { batchNumber, businessDay: this.businessDay, result: 'in_balance', responseCode: '00', currency: this.currency, debits, credits: { count: 0, amountMinor: 0 } });
  }
}

/** Gives drafts their sequence numbers, as an outbox does. */
export function sequenced(drafts: readonly UploadEventDraft[], firstSeq: number): UploadEvent[] {
  return drafts.map((draft, index) => ({ ...draft, seq: firstSeq + index }) as UploadEvent);
}
