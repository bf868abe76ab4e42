/**
 * Giving money back, tender by tender (tender-undo.ts says how per type):
 *
 *  - cancel the current sale before it is paid: every tender that holds money is voided (a partly
 *    paid sale's card legs reversed, its cash handed back), and the cashier is told each one's fate;
 *  - void a paid sale (a supervisor approves): the same, for every tender;
 *  - refund part of a paid sale from one tender (a supervisor approves): cash goes back as cash, a
 *    card refund references the tender's RRN and needs the card presented again, a QR refund goes
 *    back to the wallet (qr/qr-refunds.ts).
 *
 * Each is one unit of work with its approval; card voids then go to the host at once when the link
 * is up, and wait in the store-and-forward queue when it is not (void_pending).
 */
import type { Sale, Tender, TenderType } from '../../common/sale/model.ts';
import type { Journal } from '../journal/journal.ts';
import type { ApprovalAction } from '../journal/shifts.ts';
import type { Credentials, Session } from '../operators/session.ts';
import { applySaleEvent, recordRefund, refundableMinor, tenderOf } from '../sales/sale.ts';
import { amountText, notFound, rejected, SaleError } from '../sales/sale-error.ts';
import type { SaleEvent } from '../sales/sale-status.ts';
import { holdsMoney } from '../sales/tender-state.ts';
import type { DrawerPort } from './ports.ts';
import type { QrRefunds } from './qr/qr-refunds.ts';
import type { TenderService } from './tender-service.ts';
import { approvedPurchaseLeg, type TenderFate, type TenderUndoRegistry } from './tender-undo.ts';
import type { TillLock } from './till-lock.ts';

export interface GivenBack {
  readonly sale: Sale;
  readonly tenders: { readonly tenderId: number; readonly type: TenderType; readonly amountMinor: number; readonly fate: TenderFate }[];
}

export interface SaleUndoDependencies {
  readonly journal: Journal;
  readonly session: Session;
  readonly tillLock: TillLock;
  readonly undo: TenderUndoRegistry;
  readonly tenders: TenderService;
  readonly drawer: DrawerPort;
  /** Signs on if needed and sends the queued reversals now; false when the host cannot be reached. */
  readonly deliver: () => Promise<boolean>;
  /** Refunds and voids of QR tenders, back to the wallet. */
  readonly qrRefunds?: QrRefunds;
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

export class SaleUndoService {
  readonly #deps: SaleUndoDependencies;

  constructor(deps: SaleUndoDependencies) {
    this.#deps = deps;
  }

  /** Gives up the current sale: nothing paid, or every tender given back first. */
  async cancelCurrent(): Promise<GivenBack> {
    const cashier = this.#deps.session.requireOperator();
    const sale = this.#deps.journal.sales.current()[0];
    if (!sale) throw notFound('there is no sale in progress');
    return this.#giveBack(sale.id, 'cancel', 'a cancel', () => this.#deps.log(`sale ${sale.receiptNumber} cancelled by ${cashier.id}`));
  }

  async voidSale(saleId: string, approval: Credentials | undefined): Promise<GivenBack> {
    const cashier = this.#deps.session.requireOperator();
    const supervisor = await this.#deps.session.approve(approval, 'a void');
    return this.#giveBack(saleId, 'void', 'a void', (sale) => {
      if (sale.status !== 'paid') throw rejected(`sale ${sale.receiptNumber} is ${sale.status.replace('_', ' ')}: only a paid sale with nothing refunded can be voided`);
      this.#approval('void', sale.id, cashier.id, supervisor.id, { totalMinor: sale.totals.total.amountMinor });
    });
  }

  /** Refunds `amountMinor` of one tender; a card refund answers the flow that waits for the card. */
  async refund(saleId: string, tenderId: number, amountMinor: number, approval: Credentials | undefined): Promise<{ sale: Sale } | { paymentId: string }> {
    const { journal, session } = this.#deps;
    const cashier = session.requireOperator();
    const supervisor = await session.approve(approval, 'a refund');
    const sale = journal.sales.load(saleId);
    if (!sale) throw notFound(`no sale ${saleId}`);
    if (sale.status !== 'paid' && sale.status !== 'partly_refunded') throw rejected(`sale ${sale.receiptNumber} is ${sale.status.replace('_', ' ')}: nothing of it can be refunded`);
    const tender = tenderOf(sale, tenderId);
    const left = refundableMinor(tender);
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw rejected(`a refund is a whole number of fen above zero, not ${amountMinor}`);
    if (amountMinor > left) throw rejected(`at most ${amountText(left, sale.currency)} is left to refund on this ${tender.type} tender`);
    const detail = { tenderId, type: tender.type, amountMinor };
    if (tender.type === 'card') {
      const leg = approvedPurchaseLeg(journal, tender);
      return this.#deps.tenders.startCardRefund(sale, tenderId, amountMinor, leg, () => this.#approval('refund', sale.id, cashier.id, supervisor.id, detail));
    }
    if (tender.type === 'qr') return this.#refundToWallet(sale, tender, amountMinor, () => this.#approval('refund', sale.id, cashier.id, supervisor.id, detail));
    if (tender.type !== 'cash') throw rejected(`a ${tender.type} tender cannot be refunded here`);
    const release = this.#deps.tillLock.acquire('a refund');
    try {
      const refunded = journal.atomically(() => {
        const next = recordRefund(sale, tenderId, amountMinor, this.#deps.now());
        journal.sales.save(sale, next);
        this.#approval('refund', sale.id, cashier.id, supervisor.id, detail);
        return next;
      });
      await this.#kick(() => this.#deps.drawer.kick('cash_refund'));
      return { sale: refunded };
    } finally {
      release();
    }
  }

  /** A QR tender's refund goes back to the wallet at once: no card, no drawer. */
  async #refundToWallet(sale: Sale, tender: Tender, amountMinor: number, approve: () => void): Promise<{ sale: Sale }> {
    const { journal, qrRefunds } = this.#deps;
    if (!qrRefunds) throw rejected('QR refunds are not available at this station');
    const release = this.#deps.tillLock.acquire('a refund');
    try {
      const number = journal.atomically(() => {
        approve();
        return qrRefunds.begin(tender, amountMinor, 'refund');
      });
      const outcome = await qrRefunds.send(number);
      if (outcome.kind === 'refused') throw rejected(`the wallet refused the refund (${outcome.code}): ${outcome.message}`);
      if (outcome.kind === 'unknown') throw new SaleError('unavailable', 'the wallet did not answer: the refund is on record and is sent again when the station next starts; do not refund it another way');
      return { sale: journal.sales.load(sale.id)! };
    } finally {
      release();
    }
  }

  async #giveBack(saleId: string, event: Extract<SaleEvent, 'cancel' | 'void'>, job: string, authorize: (sale: Sale) => void): Promise<GivenBack> {
    const { journal, undo } = this.#deps;
    const release = this.#deps.tillLock.acquire(job);
    try {
      const after: (() => Promise<void>)[] = [];
      const touched: Tender[] = [];
      journal.atomically(() => {
        const sale = journal.sales.load(saleId);
        if (!sale) throw notFound(`no sale ${saleId}`);
        authorize(sale);
        const now = this.#deps.now();
        let next = sale;
        for (const tender of sale.tenders.filter((candidate) => holdsMoney(candidate.state))) {
          const result = undo.for(tender.type).void(next, tender, now);
          next = result.sale;
          touched.push(tender);
          if (result.afterCommit) after.push(result.afterCommit);
        }
        journal.sales.save(sale, applySaleEvent(next, event, now));
      });
      for (const task of after) await this.#kick(task);
      if (touched.some((tender) => tender.type === 'card') && !(await this.#deps.deliver())) this.#deps.log(`${job} of sale ${saleId}: the host cannot be reached; the card voids wait in the queue`);
      const sale = journal.sales.load(saleId)!;
      return {
        sale,
        tenders: touched.map((tender) => {
          const now = sale.tenders.find((candidate) => candidate.id === tender.id)!;
          return { tenderId: tender.id, type: tender.type, amountMinor: tender.amount.amountMinor, fate: tender.type === 'cash' ? 'returned_cash' : now.state === 'voided' ? 'voided' : 'void_pending' };
        }),
      };
    } finally {
      release();
    }
  }

  #approval(action: ApprovalAction, subject: string, requestedBy: string, approvedBy: string, detail: unknown): void {
    this.#deps.journal.shifts.recordApproval({ action, subject, requestedBy, approvedBy, detail });
  }

  /** The drawer is the printer's to open; one that does not open is reported, the money matter stands. */
  async #kick(task: () => Promise<void>): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.#deps.log(`the cash drawer did not open: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
