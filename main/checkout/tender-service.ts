/**
 * Tenders of the current sale, and the card flows that run outside one (a refund of a card tender,
 * a balance inquiry). A tender is added to the sale (journaled), then its means of payment is
 * presented (a card tender learns its entry mode here), then the flow registered for that tender
 * type and entry mode runs (flows/). One at a time: the till lock.
 *
 * The flow settles the tender through `#settle`, which moves the tender and the sale along their
 * machines in one unit of work; a sale that is then fully paid prints its receipt.
 */
import { money } from '../../common/money.ts';
import type { PaymentProgress } from '../../common/payment.ts';
import type { Sale, TenderType } from '../../common/sale/model.ts';
import type { CardLegRow } from '../journal/card-leg-row.ts';
import type { Journal } from '../journal/journal.ts';
import type { Session } from '../operators/session.ts';
import { applySaleEvent, recordRefund, startTender, updateTender } from '../sales/sale.ts';
import { notFound, rejected } from '../sales/sale-error.ts';
import type { FlowRegistry } from './flows/flow-registry.ts';
import { runFlow, type FlowResult } from './flows/flow-runner.ts';
import type { AnyTenderFlow, FlowOutcome, FlowTender, Presentment, SettlePatch } from './flows/tender-flow.ts';
import type { TillLock } from './till-lock.ts';

export interface TenderServiceDependencies {
  readonly journal: Journal;
  readonly registry: FlowRegistry;
  readonly session: Session;
  readonly tillLock: TillLock;
  readonly now: () => Date;
  readonly onProgress: (progress: PaymentProgress) => void;
  /** A sale was just paid in full: print its receipt. */
  readonly onPaid: (saleId: string) => Promise<void>;
  readonly log: (line: string) => void;
}

interface ActiveRun {
  readonly paymentId: string;
  readonly abort: AbortController;
  flow?: AnyTenderFlow;
  state?: string;
}

export class TenderService {
  readonly #deps: TenderServiceDependencies;
  #active: ActiveRun | undefined;
  #idle: Promise<void> = Promise.resolve();
  #runs = 0;

  constructor(deps: TenderServiceDependencies) {
    this.#deps = deps;
  }

  /** Starts a card tender of `amountMinor` (default: what is due); the customer presents the card next. */
  startCard(amountMinor: number | undefined): { paymentId: string; saleId: string; tenderId: number } {
    return this.#startTender('card', amountMinor, undefined);
  }

  /** A cash tender: `amountMinor` of the sale paid with `receivedMinor` handed over (the rest is change). */
  startCash(amountMinor: number | undefined, receivedMinor: number): { paymentId: string; saleId: string; tenderId: number } {
    return this.#startTender('cash', amountMinor, receivedMinor);
  }

  /**
   * A QR tender of `amountMinor` (default: what is due). Merchant-presented: the station shows its
   * code at once. Customer-presented: the cashier scans the customer's payment code next (the
   * registry's QR presentment waits for it).
   */
  startQr(amountMinor: number | undefined, mode: 'merchant_presented' | 'customer_presented'): { paymentId: string; saleId: string; tenderId: number } {
    return this.#startTender('qr', amountMinor, undefined, mode === 'merchant_presented' ? { entryMode: 'qr', data: { mode } } : undefined);
  }

  /** A refund of part of an approved card tender: the card is presented again (the host needs it), no PIN. */
  startCardRefund(sale: Sale, tenderId: number, amountMinor: number, original: CardLegRow, approve: () => void): { paymentId: string } {
    const tender: FlowTender = { operation: 'refund', type: 'card', amount: money(amountMinor, sale.currency), saleId: sale.id, tenderId, original };
    return this.#begin('a refund', tender, approve);
  }

  startBalanceInquiry(): { paymentId: string } {
    this.#deps.session.requireOperator();
    const currency = this.#deps.journal.shifts.current()?.currency ?? 'CNY';
    return this.#begin('a balance inquiry', { operation: 'inquiry', type: 'card', amount: money(0, currency) }, () => undefined);
  }

  /** Cancels the running flow if it is still at a point where a cancel can win (never once the host has the request). */
  cancel(paymentId: string): { cancelled: boolean } {
    const active = this.#active;
    if (!active || active.paymentId !== paymentId || active.abort.signal.aborted) return { cancelled: false };
    if (active.flow && active.state !== undefined && !active.flow.machine.can(active.state, 'cancel', undefined)) return { cancelled: false };
    active.abort.abort(new Error('cancelled by the cashier'));
    return { cancelled: true };
  }

  /** Whether `paymentId` is the flow running now. */
  isRunning(paymentId: string): boolean {
    return this.#active?.paymentId === paymentId;
  }

  /** Resolves when the running flow (if any) has ended; for shutdown and tests. */
  whenIdle(): Promise<void> {
    return this.#idle;
  }

  #startTender(type: TenderType, amountMinor: number | undefined, receivedMinor: number | undefined, presented?: Presentment): { paymentId: string; saleId: string; tenderId: number } {
    const { journal, session, tillLock } = this.#deps;
    session.requireOperator();
    const release = tillLock.acquire(`a ${type} payment`);
    let tender: FlowTender;
    try {
      tender = journal.atomically(() => {
        const sale = journal.sales.current()[0];
        if (!sale) throw notFound('there is no sale to pay');
        const id = journal.counters.next('tender');
        const amount = amountMinor ?? sale.due.amountMinor;
        const next = startTender(sale, { id, type, ...(type === 'cash' ? { entryMode: 'cash' as const } : type === 'qr' ? { entryMode: 'qr' as const } : {}), amountMinor: amount, ...(receivedMinor === undefined ? {} : { receivedMinor }) }, this.#deps.now());
        journal.sales.save(sale, next);
        return { operation: 'payment', type, amount: money(amount, sale.currency), saleId: sale.id, tenderId: id };
      });
    } catch (error) {
      release();
      throw error;
    }
    const { paymentId } = this.#begin(`a ${type} payment`, tender, () => undefined, release, presented);
    return { paymentId, saleId: tender.saleId!, tenderId: tender.tenderId! };
  }

  /** Runs a flow in the background; `approve` journals the supervisor's approval as the flow starts. */
  #begin(job: string, tender: FlowTender, approve: () => void, held?: () => void, presented?: Presentment): { paymentId: string } {
    const release = held ?? this.#deps.tillLock.acquire(job);
    const paymentId = `${tender.operation}-${tender.tenderId ?? 'inquiry'}-${++this.#runs}`;
    const active: ActiveRun = { paymentId, abort: new AbortController() };
    this.#active = active;
    try {
      approve();
    } catch (error) {
      this.#active = undefined;
      release();
      throw error;
    }
    this.#idle = this.#run(active, tender, presented)
      .catch((error: unknown) => this.#deps.log(`${job} ${paymentId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`))
      .finally(() => {
        if (this.#active === active) this.#active = undefined;
        release();
      });
    return { paymentId };
  }

  async #run(active: ActiveRun, tender: FlowTender, presented: Presentment | undefined): Promise<void> {
    const { registry } = this.#deps;
    const progress = (step: PaymentProgress['step'], entryMode: Presentment['entryMode'] | undefined, extra: Partial<PaymentProgress> = {}) =>
      this.#deps.onProgress({
        paymentId: active.paymentId,
        kind: tender.operation === 'payment' ? 'purchase' : tender.operation === 'refund' ? 'refund' : 'balance_inquiry',
        ...(tender.saleId === undefined ? {} : { saleId: tender.saleId }),
        ...(tender.tenderId === undefined ? {} : { tenderId: tender.tenderId }),
        tenderType: tender.type,
        ...(entryMode ? { entryMode } : {}),
        step,
        amount: tender.amount,
        ...extra,
      });

    let presentment: Presentment;
    // Cash, and a QR code the station shows, are presented as the tender starts; a card or the customer's QR code is waited for.
    const waiting = tender.type === 'qr' ? 'scan_qr' : 'present_card';
    if (tender.type === 'cash') presentment = { entryMode: 'cash', data: undefined };
    else if (presented !== undefined) presentment = presented;
    else {
      progress(waiting, undefined);
      try {
        presentment = await registry.presentmentFor(tender.type)(active.abort.signal, () => progress(waiting, undefined, { failure: 'bad_read' }));
      } catch (error) {
        const cancelled = active.abort.signal.aborted;
        if (!cancelled) this.#deps.log(`presentment failed: ${error instanceof Error ? error.message : String(error)}`);
        this.#settle(tender, cancelled ? 'cancel' : 'fail');
        progress(cancelled ? 'cancelled' : 'failed', undefined, { failure: cancelled ? 'cancelled_by_cashier' : 'device_error' });
        return;
      }
    }
    const flow = registry.flowFor(tender.type, presentment.entryMode, tender.operation);
    if (!flow) {
      this.#settle(tender, 'fail');
      progress('failed', presentment.entryMode, { failure: 'entry_mode_not_supported' });
      return;
    }
    active.flow = flow;
    const cash = tender.type === 'cash' ? this.#cashOf(tender) : undefined;
    const result: FlowResult = await runFlow(
      { flow, tender, presentment, signal: active.abort.signal, paymentId: active.paymentId, ...(cash ? { base: { cash } } : {}) },
      {
        progress: this.#deps.onProgress,
        onState: (state) => (active.state = state),
        settle: (settled, outcome, patch) => this.#settle(settled, outcome, patch),
        log: this.#deps.log,
      },
    );
    if (tender.operation === 'payment' && result.outcome === 'approve' && this.#deps.journal.sales.load(tender.saleId!)?.status === 'paid') await this.#deps.onPaid(tender.saleId!);
  }

  /** Moves the tender and its sale; a refund flow's approval records the refund on the original tender. */
  #settle(tender: FlowTender, outcome: FlowOutcome, patch: SettlePatch = {}): void {
    if (tender.saleId === undefined || tender.tenderId === undefined) return;
    const { journal } = this.#deps;
    journal.atomically(() => {
      const sale = journal.sales.load(tender.saleId!);
      if (!sale) throw notFound(`sale ${tender.saleId} is gone`);
      const now = this.#deps.now();
      if (tender.operation === 'refund') {
        if (outcome === 'approve') journal.sales.save(sale, recordRefund(sale, tender.tenderId!, tender.amount.amountMinor, now));
        return;
      }
      const moved = updateTender(sale, tender.tenderId!, outcome, now, { ...(patch.card ? { card: patch.card } : {}), ...(patch.qr ? { qr: patch.qr } : {}) });
      journal.sales.save(sale, applySaleEvent(moved, 'tender_ended', now));
    });
  }

  #cashOf(tender: FlowTender): PaymentProgress['cash'] {
    const found = this.#deps.journal.sales.load(tender.saleId!)?.tenders.find((candidate) => candidate.id === tender.tenderId);
    if (!found?.received || !found.change) throw rejected('a cash tender without the cash received');
    return { received: found.received, change: found.change };
  }
}
