/**
 * Shifts (one open at a time: the drawer's), the cash that moves outside sales (paid in, paid out,
 * no-sale opens) and the supervisors' approvals, each with its domain event.
 */
import type { DatabaseSync } from 'node:sqlite';
import { money, type CurrencyCode } from '../../common/money.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export interface ShiftRecord {
  readonly id: number;
  readonly status: 'open' | 'closed';
  readonly openedBy: string;
  readonly openedAt: string;
  readonly floatMinor: number;
  readonly currency: CurrencyCode;
  readonly closedBy?: string;
  readonly closedAt?: string;
  readonly countedMinor?: number;
  readonly expectedMinor?: number;
  /** The Z report as it was printed at the close (JSON). */
  readonly zReport?: string;
}

export type CashMovementKind = 'paid_in' | 'paid_out' | 'no_sale';
export type ApprovalAction = 'refund' | 'void' | 'price_override' | 'no_sale' | 'settlement';

interface ShiftRow {
  id: number;
  status: 'open' | 'closed';
  opened_by: string;
  opened_at: string;
  float_minor: number;
  currency: CurrencyCode;
  closed_by: string | null;
  closed_at: string | null;
  counted_minor: number | null;
  expected_minor: number | null;
  z_report: string | null;
}

export class Shifts {
  readonly #uow: UnitOfWork;
  readonly #now: () => Date;
  readonly #stationId: string;
  readonly #open;
  readonly #openId;
  readonly #byId;
  readonly #insert;
  readonly #close;
  readonly #cash;
  readonly #approval;

  constructor(db: DatabaseSync, deps: { uow: UnitOfWork; now: () => Date; stationId: string }) {
    this.#uow = deps.uow;
    this.#now = deps.now;
    this.#stationId = deps.stationId;
    this.#open = db.prepare("SELECT * FROM shifts WHERE status = 'open'");
    this.#openId = db.prepare("SELECT id FROM shifts WHERE status = 'open'");
    this.#byId = db.prepare('SELECT * FROM shifts WHERE id = ?');
    this.#insert = db.prepare("INSERT INTO shifts (station_id, status, opened_by, opened_at, float_minor, currency) VALUES (?, 'open', ?, ?, ?, ?)");
    this.#close = db.prepare("UPDATE shifts SET status = 'closed', closed_by = ?, closed_at = ?, counted_minor = ?, expected_minor = ?, z_report = ? WHERE id = ? AND status = 'open'");
    this.#cash = db.prepare('INSERT INTO cash_movements (shift_id, kind, amount_minor, reason, operator_id, at) VALUES (?, ?, ?, ?, ?, ?)');
    this.#approval = db.prepare('INSERT INTO approvals (action, subject, requested_by, approved_by, at, detail) VALUES (?, ?, ?, ?, ?, ?)');
  }

  /** The open shift, if any. */
  current(): ShiftRecord | undefined {
    const row = this.#open.get() as ShiftRow | undefined;
    return row && toShift(row);
  }

  /** The open shift's id, if any: what the kept totals need on every event, without the rest of the row. */
  openId(): number | undefined {
    return (this.#openId.get() as { id: number } | undefined)?.id;
  }

  byId(id: number): ShiftRecord | undefined {
    const row = this.#byId.get(id) as ShiftRow | undefined;
    return row && toShift(row);
  }

  open(operatorId: string, floatMinor: number, currency: CurrencyCode): ShiftRecord {
    return this.#uow.atomically(() => {
      const at = this.#now().toISOString();
      const id = Number(this.#insert.run(this.#stationId, operatorId, at, floatMinor, currency).lastInsertRowid);
      this.#uow.emit({ type: 'shift.opened', at, shiftId: id, operatorId, float: money(floatMinor, currency) });
      return this.byId(id)!;
    });
  }

  moveCash(shift: ShiftRecord, movement: { kind: CashMovementKind; amountMinor: number; reason: string; operatorId: string }): void {
    this.#uow.atomically(() => {
      const at = this.#now().toISOString();
      this.#cash.run(shift.id, movement.kind, movement.amountMinor, movement.reason, movement.operatorId, at);
      this.#uow.emit({ type: 'shift.cash_moved', at, shiftId: shift.id, operatorId: movement.operatorId, kind: movement.kind, amount: money(movement.amountMinor, shift.currency), reason: movement.reason });
    });
  }

  close(shift: ShiftRecord, close: { operatorId: string; countedMinor: number; expectedMinor: number; zReport: unknown }): ShiftRecord {
    return this.#uow.atomically(() => {
      const at = this.#now().toISOString();
      const changes = this.#close.run(close.operatorId, at, close.countedMinor, close.expectedMinor, JSON.stringify(close.zReport), shift.id).changes;
      if (Number(changes) !== 1) throw new Error(`shift ${shift.id} is not open`);
      this.#uow.emit({ type: 'shift.closed', at, shiftId: shift.id, operatorId: close.operatorId, counted: money(close.countedMinor, shift.currency), expected: money(close.expectedMinor, shift.currency) });
      return this.byId(shift.id)!;
    });
  }

  /** Who approved what: journaled in the unit of work of the action it allows. */
  recordApproval(approval: { action: ApprovalAction; subject: string; requestedBy?: string; approvedBy: string; detail: unknown }): void {
    this.#uow.atomically(() => {
      const at = this.#now().toISOString();
      this.#approval.run(approval.action, approval.subject, approval.requestedBy ?? null, approval.approvedBy, at, JSON.stringify(approval.detail));
      this.#uow.emit({ type: 'approval.granted', at, action: approval.action, subject: approval.subject, supervisorId: approval.approvedBy, ...(approval.requestedBy ? { requestedBy: approval.requestedBy } : {}) });
    });
  }
}

function toShift(row: ShiftRow): ShiftRecord {
  return {
    id: row.id,
    status: row.status,
    openedBy: row.opened_by,
    openedAt: row.opened_at,
    floatMinor: row.float_minor,
    currency: row.currency,
    ...(row.closed_by === null ? {} : { closedBy: row.closed_by }),
    ...(row.closed_at === null ? {} : { closedAt: row.closed_at }),
    ...(row.counted_minor === null ? {} : { countedMinor: row.counted_minor }),
    ...(row.expected_minor === null ? {} : { expectedMinor: row.expected_minor }),
    ...(row.z_report === null ? {} : { zReport: row.z_report }),
  };
}
