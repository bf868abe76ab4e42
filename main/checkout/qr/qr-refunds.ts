/**
 * Money back to the wallet for a QR tender: a refund of part of it, or a void of all of it (a paid
 * sale voided, a partly paid sale cancelled). Either is one wallet refund of the tender's order.
 *
 *  1. the refund leg is written ahead (started), in the unit of work that decides it (a void's
 *     request_void, with the supervisor's approval);
 *  2. the refund is sent, and an unknown answer re-sent under the same number (the platform's
 *     refund is idempotent by out_refund_no, so a late first copy and the re-send are one refund);
 *  3. SUCCESS: the leg is refunded and, in the same unit of work, the tender records the refund (a
 *     refund) or becomes voided (a void). A refusal: the leg failed and a void's tender is approved
 *     again (refuse_void). Still unknown: the leg stays started and the tender void_pending (a void);
 *     `finishPending` re-sends it at the next start-up, until the wallet answers.
 */
import type { Tender } from '../../../common/sale/model.ts';
import type { Journal } from '../../journal/journal.ts';
import type { QrLegRow } from '../../journal/qr-legs.ts';
import { applySaleEvent, recordRefund, updateTender } from '../../sales/sale.ts';
import { rejected, SaleError } from '../../sales/sale-error.ts';
import type { TenderUndo } from '../tender-undo.ts';
import type { WalletLink } from './wallet-link.ts';

/** A QR tender given back whole: the refund leg goes in the void's unit of work, the wallet hears of it once that has committed. */
export function qrUndo(refunds: QrRefunds): TenderUndo {
  return {
    void(sale, tender, now) {
      const number = refunds.begin(tender, tender.amount.amountMinor - tender.refunded.amountMinor, 'void');
      return {
        sale: updateTender(sale, tender.id, 'request_void', now),
        fate: 'void_pending',
        afterCommit: async () => void (await refunds.send(number)),
      };
    },
  };
}

export type RefundOutcome = { readonly kind: 'refunded' } | { readonly kind: 'refused'; readonly code: string; readonly message: string } | { readonly kind: 'unknown'; readonly reason: string };

/** A refund leg's reason says what it is for: part of the tender, or the whole of it. */
const PURPOSE = { refund: 'refund', void: 'void' } as const;

export interface QrRefundsDependencies {
  readonly journal: Journal;
  readonly wallet: WalletLink;
  readonly now: () => Date;
  readonly log: (line: string) => void;
  /** Waits before each re-send of a refund whose answer is unknown. */
  readonly retryDelaysMs?: readonly number[];
}

export class QrRefunds {
  readonly #deps: QrRefundsDependencies;

  constructor(deps: QrRefundsDependencies) {
    this.#deps = deps;
  }

  /** Writes the refund leg ahead; call inside the unit of work that decides the refund or the void. */
  begin(tender: Tender, amountMinor: number, purpose: keyof typeof PURPOSE): string {
    const orderNo = orderOf(tender);
    const number = this.#deps.wallet.newNumber('R', tender.id);
    this.#deps.journal.qrLegs.begin({ number, tenderId: tender.id, kind: 'refund', amountMinor, currency: tender.amount.currency, reason: `${PURPOSE[purpose]} of ${orderNo}` });
    return number;
  }

  /** Sends a refund leg to the wallet and applies the answer to the leg and its tender. */
  async send(number: string): Promise<RefundOutcome> {
    const { journal } = this.#deps;
    const leg = journal.qrLegs.get(number);
    if (leg === undefined || leg.kind !== 'refund') throw new Error(`no refund leg ${number}`);
    const sale = journal.sales.ofTender(leg.tenderId);
    const tender = sale?.tenders.find((candidate) => candidate.id === leg.tenderId);
    if (!sale || !tender) throw new Error(`refund leg ${number} has no tender`);
    const outcome = await this.#exchange(leg, orderOf(tender));
    if (outcome.kind === 'unknown') {
      this.#deps.log(`QR refund ${number}: no answer from the wallet (${outcome.reason}); it is sent again at the next start`);
      return outcome;
    }
    journal.atomically(() => {
      const current = journal.sales.load(sale.id)!;
      const now = this.#deps.now();
      const isVoid = leg.reason?.startsWith(PURPOSE.void) === true;
      if (outcome.kind === 'refunded') {
        journal.qrLegs.update(number, { state: 'refunded', reason: leg.reason ?? '' });
        journal.sales.save(current, isVoid ? updateTender(current, tender.id, 'confirm_void', now) : recordRefund(current, tender.id, leg.amountMinor, now));
      } else {
        journal.qrLegs.update(number, { state: 'failed', reason: `${outcome.code}: ${outcome.message}` });
        if (isVoid && current.tenders.find((candidate) => candidate.id === tender.id)?.state === 'void_pending') {
          // As a card void the host refuses: the tender holds the money again, and a voided or cancelled sale is back.
          const moved = updateTender(current, tender.id, 'refuse_void', now);
          journal.sales.save(current, current.status === 'voided' || current.status === 'cancelled' ? applySaleEvent(moved, 'void_refused', now) : moved);
        }
      }
    });
    return outcome;
  }

  /** Refund legs a crash or a silent wallet left unsent or unanswered: sent again (same number). */
  async finishPending(): Promise<void> {
    for (const leg of this.#deps.journal.qrLegs.pendingRefunds()) {
      try {
        await this.send(leg.number);
      } catch (error) {
        this.#deps.log(`QR refund ${leg.number}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  async #exchange(leg: QrLegRow, orderNo: string): Promise<RefundOutcome> {
    const delays = this.#deps.retryDelaysMs ?? [500, 1_000, 2_000];
    let last = '';
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, delays[attempt - 1]));
      let answer;
      try {
        answer = await this.#deps.wallet.client().refund({ out_trade_no: orderNo, out_refund_no: leg.number, amount: { refund: leg.amountMinor, currency: 'CNY' }, reason: 'refund at the counter' });
      } catch (error) {
        if (error instanceof SaleError) return { kind: 'unknown', reason: error.message };
        throw error;
      }
      if (answer.kind === 'ok') return { kind: 'refunded' };
      if (answer.kind === 'refused') return { kind: 'refused', code: answer.error.code, message: answer.error.message };
      last = answer.reason;
    }
    return { kind: 'unknown', reason: last };
  }
}

function orderOf(tender: Tender): string {
  if (tender.type !== 'qr' || tender.qr === undefined) throw rejected(`tender ${tender.id} is no paid QR tender`);
  return tender.qr.orderNo;
}
