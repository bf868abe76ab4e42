/**
 * End of day (profile v2 settlement):
 *
 *   reversals delivered ─▶ 0500 920000 (the terminal's totals) ─▶ 0510 DE66 1: in balance, closed
 *                                                              └▶ 0510 DE66 2: out of balance
 *      ─▶ one 0320 per approved purchase/refund of the batch ─▶ 0500 960000 ─▶ DE66 1: closed
 *
 * Queued reversals go first: the host's totals must include them or the batch cannot balance, and
 * a reversal arriving after the close could not reach its transaction any more. On a close the
 * journal stores the batch report (read-only from then on), forgets the batch's PANs and opens
 * batch number + 1. Any failure leaves the batch open; settling again starts over.
 */
import type { BatchReport, SettlementResult } from '../../common/acquirer.ts';
import type { CurrencyCode } from '../../common/money.ts';
import { PROCESSING_CODES, RESPONSE_CODES } from '../../payments/iso8583/profile.ts';
import { AcquirerNoAnswerError, AcquirerUnavailableError } from '../acquirer/acquirer-link.ts';
import type { AcquirerServices } from '../acquirer/acquirer-services.ts';
import { responseCodeOf, UnexpectedResponseError } from '../acquirer/card-request.ts';
import { buildBatchUpload, buildSettlementRequest, readSettlementAnswer, type SettlementTotals } from '../acquirer/settlement-messages.ts';
import type { AcquirerPort } from '../checkout/ports.ts';
import type { TillLock } from '../checkout/till-lock.ts';
import type { BatchRecord } from '../journal/batches.ts';
import type { CardLegRow } from '../journal/card-leg-row.ts';
import type { Journal } from '../journal/journal.ts';
import type { Credentials, Session } from '../operators/session.ts';
import { rejected, SaleError } from '../sales/sale-error.ts';
import { buildBatchReport } from './batch-report.ts';

export interface SettlementDependencies {
  readonly terminalId: string;
  readonly merchantId: string;
  readonly currency: CurrencyCode;
  readonly journal: Journal;
  readonly acquirer: AcquirerPort;
  /** Signs on if the link is down, then sends what is queued; false when the link cannot be brought up. */
  readonly deliverQueued: () => Promise<boolean>;
  readonly pendingReversals: () => number;
  readonly tillLock: TillLock;
  /** Settlement needs a supervisor. */
  readonly session: Session;
  readonly log: (line: string) => void;
  readonly now?: () => Date;
}

/** The settlement service of a terminal, on the station's acquirer services (the queue delivered first). */
export function settlementServiceFor(
  terminal: Pick<SettlementDependencies, 'terminalId' | 'merchantId' | 'currency'>,
  wiring: { journal: Journal; acquirer: AcquirerServices; tillLock: TillLock; session: Session; log: (line: string) => void },
): SettlementService {
  const { journal, acquirer, tillLock, session, log } = wiring;
  return new SettlementService({
    ...terminal,
    journal,
    acquirer: acquirer.port,
    deliverQueued: () => acquirer.deliverQueued(),
    pendingReversals: () => acquirer.saf.pending,
    tillLock,
    session,
    log,
  });
}

export class SettlementService {
  readonly #deps: SettlementDependencies;
  readonly #now: () => Date;

  constructor(deps: SettlementDependencies) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  /** The open batch's totals so far: read from the kept totals, whatever the batch's size. */
  openBatchReport(): BatchReport {
    const { journal, currency } = this.#deps;
    const batch = journal.batches.open();
    return buildBatchReport(batch, journal.totals.read('batch', batch.id), currency);
  }

  /** Settles the open batch; a supervisor approves, and an empty batch has nothing to settle. */
  async settle(approval: Credentials | undefined): Promise<BatchReport> {
    const cashier = this.#deps.session.requireOperator();
    const supervisor = await this.#deps.session.approve(approval, 'settlement');
    const release = this.#deps.tillLock.acquire('a settlement');
    try {
      const preview = this.openBatchReport();
      if (preview.totals.debits.count + preview.totals.credits.count === 0) throw rejected(`batch ${preview.batchNumber} is empty: there is nothing to settle`);
      this.#deps.journal.shifts.recordApproval({ action: 'settlement', subject: `batch:${preview.batchNumber}`, requestedBy: cashier.id, approvedBy: supervisor.id, detail: preview.totals });
      return await this.#settle();
    } catch (error) {
      throw asDomainError(error);
    } finally {
      release();
    }
  }

  async #settle(): Promise<BatchReport> {
    const { journal, currency, log } = this.#deps;
    if (!(await this.#deps.deliverQueued())) throw new SaleError('unavailable', 'the acquirer link is down: settle when it is back');
    const waiting = this.#deps.pendingReversals();
    if (waiting > 0) throw new SaleError('unavailable', `${waiting} reversal(s) still waiting for the host's answer: settle once they are through`);

    const batch = journal.batches.open();
    const report = buildBatchReport(batch, journal.totals.read('batch', batch.id), currency);
    let result: SettlementResult = 'in_balance';
    if (!(await this.#close(PROCESSING_CODES.settlementClose, batch, report.totals))) {
      log(`settlement of batch ${batch.batchNumber}: out of balance, uploading ${report.totals.debits.count + report.totals.credits.count} transaction(s)`);
      // One leg at a time off the index: a batch may hold a great many.
      for (const row of journal.legs.uploads(batch.id)) await this.#upload(batch, row);
      if (!(await this.#close(PROCESSING_CODES.settlementAfterUpload, batch, report.totals))) {
        throw rejected(`batch ${batch.batchNumber} is still out of balance after the batch upload`);
      }
      result = 'in_balance_after_upload';
    }
    journal.closeBatch(batch.id, result, report);
    log(`settlement of batch ${batch.batchNumber}: ${result.replaceAll('_', ' ')}`);
    const [closed] = journal.batches.closed(1);
    if (closed === undefined) throw new Error(`batch ${batch.batchNumber} closed without a report`);
    return closed;
  }

  /** Sends a 0500; true when the host answers in balance (DE66 1), false out of balance (2). */
  async #close(processingCode: typeof PROCESSING_CODES.settlementClose | typeof PROCESSING_CODES.settlementAfterUpload, batch: BatchRecord, totals: SettlementTotals): Promise<boolean> {
    const { journal, terminalId, merchantId, currency } = this.#deps;
    const request = buildSettlementRequest({ processingCode, stan: journal.nextStan(), terminalId, merchantId, currency, batchNumber: batch.batchNumber, totals, now: this.#now() });
    const answer = readSettlementAnswer(await this.#deps.acquirer.request(request));
    if (answer.responseCode !== RESPONSE_CODES.approved) throw rejected(`the host refused the settlement of batch ${batch.batchNumber}: DE39 ${answer.responseCode}`);
    if (answer.notAdopted) {
      // An upload carries no card, so one the host cannot find it cannot charge: the station's record and the acquirer's differ there.
      this.#deps.log(`settlement of batch ${batch.batchNumber}: the host did not adopt ${answer.notAdopted.count} upload(s), RRN ${answer.notAdopted.rrns.join(', ')}`);
    }
    if (answer.inBalance === undefined) throw new UnexpectedResponseError('the 0510 has no DE66 settlement code');
    return answer.inBalance;
  }

  async #upload(batch: BatchRecord, row: CardLegRow): Promise<void> {
    const { journal, merchantId } = this.#deps;
    const request = buildBatchUpload({ row, stan: journal.nextStan(), batchNumber: batch.batchNumber, merchantId, now: this.#now() });
    const responseCode = responseCodeOf(await this.#deps.acquirer.request(request), '0330');
    if (responseCode !== RESPONSE_CODES.approved) throw rejected(`the host refused the upload of ${row.kind} RRN ${row.rrn ?? '-'}: DE39 ${responseCode}`);
  }
}

function asDomainError(error: unknown): unknown {
  if (error instanceof AcquirerUnavailableError || error instanceof AcquirerNoAnswerError) return new SaleError('unavailable', `settlement did not complete: ${error.message}`);
  if (error instanceof UnexpectedResponseError) return rejected(`settlement did not complete: ${error.message}`);
  return error;
}
