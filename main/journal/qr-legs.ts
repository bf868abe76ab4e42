/**
 * Each wallet request of a QR tender, as the journal keeps it (schema v6, table qr_legs): a payment
 * (micropay or merchant-presented order) or a refund, written ahead of its first request so that
 * after a crash the station knows every number it may have sent, and moved along as the wallet
 * answers. It is the station's WalletPaymentStore (payments/wallet/wallet-payment-store.ts) kept in
 * the journal's file, so a leg's outcome and its tender's can commit together. It holds no payer
 * data but the masked account and the wallet's transaction id, as the receipt shows them.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { WalletPaymentChange, WalletPaymentRecord, WalletPaymentState, WalletPaymentStore } from '../../payments/wallet/wallet-payment-store.ts';

export type QrLegKind = 'micropay' | 'native' | 'refund';
/** A payment's states (wallet-payment-store.ts), and a refund's: started → refunded | failed. */
export type QrLegState = WalletPaymentState | 'refunded';

export interface QrLegRow {
  readonly number: string;
  readonly tenderId: number;
  readonly kind: QrLegKind;
  readonly amountMinor: number;
  readonly currency: string;
  readonly state: QrLegState;
  readonly transactionId?: string;
  readonly payerAccount?: string;
  readonly reason?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

type Row = Record<string, string | number | null>;

export class QrLegs {
  readonly #insert: StatementSync;
  readonly #select: StatementSync;
  readonly #update: StatementSync;
  readonly #ofTender: StatementSync;
  readonly #unfinished: StatementSync;
  readonly #pendingRefunds: StatementSync;
  readonly #now: () => Date;

  constructor(db: DatabaseSync, now: () => Date) {
    this.#now = now;
    this.#insert = db.prepare("INSERT INTO qr_legs (number, tender_id, kind, amount_minor, currency, state, reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'started', ?, ?, ?)");
    this.#select = db.prepare('SELECT * FROM qr_legs WHERE number = ?');
    this.#update = db.prepare(
      'UPDATE qr_legs SET state = ?, transaction_id = COALESCE(?, transaction_id), payer_account = COALESCE(?, payer_account), reason = ?, updated_at = ? WHERE number = ? RETURNING *',
    );
    this.#ofTender = db.prepare('SELECT * FROM qr_legs WHERE tender_id = ? ORDER BY created_at, number');
    this.#unfinished = db.prepare("SELECT * FROM qr_legs WHERE state IN ('started', 'pending', 'reversing') AND kind != 'refund' ORDER BY updated_at");
    this.#pendingRefunds = db.prepare("SELECT * FROM qr_legs WHERE state = 'started' AND kind = 'refund' ORDER BY created_at");
  }

  /** Writes a leg ahead of its first request; refuses a number already used. */
  begin(leg: { number: string; tenderId: number; kind: QrLegKind; amountMinor: number; currency: string; reason?: string }): void {
    if (this.#select.get(leg.number) !== undefined) throw new Error(`wallet number ${leg.number} is already used`);
    const at = this.#now().toISOString();
    this.#insert.run(leg.number, leg.tenderId, leg.kind, leg.amountMinor, leg.currency, leg.reason ?? null, at, at);
  }

  get(number: string): QrLegRow | undefined {
    return toLeg(this.#select.get(number) as Row | undefined);
  }

  update(number: string, change: { state: QrLegState; transactionId?: string; payerAccount?: string; reason?: string }): QrLegRow {
    const row = this.#update.get(change.state, change.transactionId ?? null, change.payerAccount ?? null, change.reason ?? null, this.#now().toISOString(), number) as Row | undefined;
    if (row === undefined) throw new Error(`no wallet leg ${number} in the journal`);
    return toLeg(row)!;
  }

  ofTender(tenderId: number): QrLegRow[] {
    return (this.#ofTender.all(tenderId) as Row[]).map((row) => toLeg(row)!);
  }

  /** Payments the station has not settled with the wallet: started, pending, reversing. */
  unfinished(): QrLegRow[] {
    return (this.#unfinished.all() as Row[]).map((row) => toLeg(row)!);
  }

  /** Refunds written ahead whose answer the station has not had. */
  pendingRefunds(): QrLegRow[] {
    return (this.#pendingRefunds.all() as Row[]).map((row) => toLeg(row)!);
  }

  /**
   * The payments of one tender as a WalletPaymentStore (what the wallet flows write ahead to); with
   * no tender, the store a notification or the start-up recovery reads and moves (begin refused).
   */
  paymentStore(tender?: { id: number; currency: string }): WalletPaymentStore {
    return {
      begin: (payment) => {
        if (tender === undefined) throw new Error('a wallet payment is begun for a tender');
        this.begin({ number: payment.outTradeNo, tenderId: tender.id, kind: payment.kind, amountMinor: payment.amountMinor, currency: tender.currency });
      },
      get: (outTradeNo) => toRecord(this.get(outTradeNo)),
      update: (outTradeNo, change: WalletPaymentChange) => toRecord(this.update(outTradeNo, change))!,
      unfinished: () => this.unfinished().map((leg) => toRecord(leg)!),
      close: () => undefined,
    };
  }
}

function toLeg(row: Row | undefined): QrLegRow | undefined {
  if (row === undefined) return undefined;
  return {
    number: row.number as string,
    tenderId: row.tender_id as number,
    kind: row.kind as QrLegKind,
    amountMinor: row.amount_minor as number,
    currency: row.currency as string,
    state: row.state as QrLegState,
    ...(row.transaction_id === null ? {} : { transactionId: row.transaction_id as string }),
    ...(row.payer_account === null ? {} : { payerAccount: row.payer_account as string }),
    ...(row.reason === null ? {} : { reason: row.reason as string }),
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
  };
}

/** A refund leg is no payment: the payment store never sees one. */
function toRecord(leg: QrLegRow | undefined): WalletPaymentRecord | undefined {
  if (leg === undefined || leg.kind === 'refund' || leg.state === 'refunded') return undefined;
  return {
    outTradeNo: leg.number,
    kind: leg.kind,
    amountMinor: leg.amountMinor,
    currency: 'CNY',
    state: leg.state,
    ...(leg.transactionId === undefined ? {} : { transactionId: leg.transactionId }),
    ...(leg.payerAccount === undefined ? {} : { payerAccount: leg.payerAccount }),
    ...(leg.reason === undefined ? {} : { reason: leg.reason }),
    updatedAt: leg.updatedAt,
  };
}
