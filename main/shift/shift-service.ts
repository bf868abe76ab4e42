/**
 * The shift at the till: opened with a float, cash paid in and out with a reason, a no-sale drawer
 * open with a supervisor's approval, the X report on demand, and the close: a blind count (the
 * cashier counts the drawer without seeing what the station expects), then the Z report with the
 * expected cash and the over/short, printed and kept with the shift. Reports print in the receipt's
 * language (main/checkout/receipts.ts).
 */
import type { CurrencyCode } from '../../common/money.ts';
import type { Shift, ShiftReport } from '../../common/shift.ts';
import type { DrawerPort } from '../checkout/ports.ts';
import type { Journal } from '../journal/journal.ts';
import type { CashMovementKind, ShiftRecord } from '../journal/shifts.ts';
import type { Credentials, Session } from '../operators/session.ts';
import { rejected, SaleError } from '../sales/sale-error.ts';
import { buildShiftReport, shiftView } from './shift-report.ts';

export interface ShiftServiceDependencies {
  readonly journal: Journal;
  readonly session: Session;
  readonly currency: CurrencyCode;
  readonly drawer: DrawerPort;
  readonly printReport: (report: ShiftReport) => Promise<unknown>;
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

export class ShiftService {
  readonly #deps: ShiftServiceDependencies;

  constructor(deps: ShiftServiceDependencies) {
    this.#deps = deps;
  }

  current(): Shift | undefined {
    const shift = this.#deps.journal.shifts.current();
    return shift && shiftView(shift);
  }

  open(floatMinor: number): Shift {
    const operator = this.#deps.session.requireOperator();
    checkAmount(floatMinor, 'the float', true);
    if (this.#deps.journal.shifts.current()) throw rejected('a shift is already open: close it first');
    return shiftView(this.#deps.journal.shifts.open(operator.id, floatMinor, this.#deps.currency));
  }

  /** Cash put into or taken out of the drawer outside a sale, with the reason. */
  moveCash(kind: Extract<CashMovementKind, 'paid_in' | 'paid_out'>, amountMinor: number, reason: string): ShiftReport {
    const operator = this.#deps.session.requireOperator();
    const shift = this.#open();
    checkAmount(amountMinor, 'the amount', false);
    if (reason.trim() === '') throw rejected('say why the cash moves');
    if (kind === 'paid_out' && amountMinor > this.xReport().cash.expected.amountMinor) throw rejected('more than the drawer should hold');
    // Recorded only: the drawer opens for a cash tender, a cash refund or an approved no-sale, nothing else.
    this.#deps.journal.shifts.moveCash(shift, { kind, amountMinor, reason: reason.trim(), operatorId: operator.id });
    return this.xReport();
  }

  /** Opens the drawer without a sale: a supervisor approves, and it is journaled with the reason. */
  async noSale(reason: string, approval: Credentials | undefined): Promise<void> {
    const operator = this.#deps.session.requireOperator();
    const supervisor = await this.#deps.session.approve(approval, 'opening the drawer without a sale');
    const shift = this.#open();
    const { journal } = this.#deps;
    journal.atomically(() => {
      journal.shifts.moveCash(shift, { kind: 'no_sale', amountMinor: 0, reason: reason.trim() || 'no sale', operatorId: operator.id });
      journal.shifts.recordApproval({ action: 'no_sale', subject: `shift:${shift.id}`, requestedBy: operator.id, approvedBy: supervisor.id, detail: { reason } });
    });
    await this.#kick('no_sale');
  }

  xReport(): ShiftReport {
    return this.#report('X', this.#open());
  }

  async printXReport(): Promise<ShiftReport> {
    const operator = this.#deps.session.requireOperator();
    const report = this.xReport();
    this.#deps.journal.uow.emit({ type: 'report.printed', at: report.at, kind: 'X', shiftId: report.shift.id, operatorId: operator.id });
    await this.#deps.printReport(report);
    return report;
  }

  /** The blind close: the count is entered first, then the Z report shows what was expected. */
  async close(countedMinor: number): Promise<ShiftReport> {
    const operator = this.#deps.session.requireOperator();
    checkAmount(countedMinor, 'the count', true);
    const shift = this.#open();
    if (this.#deps.journal.sales.current().length > 0) throw rejected('a sale is still in progress: finish or cancel it first');
    const { journal } = this.#deps;
    const report = journal.atomically(() => {
      const z = this.#report('Z', shift, countedMinor);
      const closed = journal.shifts.close(shift, { operatorId: operator.id, countedMinor, expectedMinor: z.cash.expected.amountMinor, zReport: z });
      const final: ShiftReport = { ...z, shift: shiftView(closed) };
      journal.uow.emit({ type: 'report.printed', at: final.at, kind: 'Z', shiftId: shift.id, operatorId: operator.id });
      return final;
    });
    await this.#deps.printReport(report);
    return report;
  }

  #open(): ShiftRecord {
    const shift = this.#deps.journal.shifts.current();
    if (!shift) throw new SaleError('forbidden', 'no shift is open');
    return shift;
  }

  #report(kind: 'X' | 'Z', shift: ShiftRecord, countedMinor?: number): ShiftReport {
    const { journal } = this.#deps;
    const batch = journal.batches.open();
    return buildShiftReport({
      kind,
      shift,
      shiftTotals: journal.totals.read('shift', shift.id),
      batch: { batchNumber: batch.batchNumber, totals: journal.totals.read('batch', batch.id) },
      at: this.#deps.now(),
      ...(countedMinor === undefined ? {} : { countedMinor }),
    });
  }

  async #kick(reason: 'no_sale'): Promise<void> {
    try {
      await this.#deps.drawer.kick(reason);
    } catch (error) {
      this.#deps.log(`the cash drawer did not open: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function checkAmount(amountMinor: number, what: string, zeroAllowed: boolean): void {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0 || (!zeroAllowed && amountMinor === 0)) throw rejected(`${what} must be a whole number of fen${zeroAllowed ? '' : ' above zero'}, not ${amountMinor}`);
}
