/**
 * One card-present transaction, start to finish, as the cashier sees it:
 *   purchase         present card → reading → enter PIN → authorizing → approved / declined
 *   refund           present card → reading → authorizing → approved / declined   (no PIN)
 *   balance inquiry  present card → reading → enter PIN → authorizing → approved (balances) / declined
 * or cancelled / failed on the way. The exchange with the host, and what a missing answer means, is
 * card-exchange.ts. Card data lives only for the length of the exchange; the journal, the log and
 * the UI get the masked PAN.
 */
import { randomUUID } from 'node:crypto';
import { detectScheme, type CardScheme } from '../../common/card/scheme.ts';
import { maskPan } from '../../common/card/pan.ts';
import type { CardData } from '../../common/card/tracks.ts';
import { money, type CurrencyCode, type Money } from '../../common/money.ts';
import { isFinalStep, type CardTransactionKind, type PaymentProgress, type PaymentStep } from '../../common/payment.ts';
import { parseAdditionalAmounts } from '../acquirer/additional-amounts.ts';
import type { AuthorizationAnswer } from '../acquirer/card-request.ts';
import type { Journal, JournalRow } from '../journal/journal.ts';
import { exchangeCardRequest } from './card-exchange.ts';
import { PaymentStopped } from './payment-stopped.ts';
import { attemptKey, offersAnotherPinTry } from './pin-tries.ts';
import type { AcquirerPort, CardReaderPort, PinPadPort, ReceiptPort, ReversalPort, SaleLine } from './ports.ts';
import { priceCart, type CatalogLookup } from './price-cart.ts';
import { checkRefund } from './refund-check.ts';
import { TillLock } from './till-lock.ts';

export interface CheckoutSettings {
  readonly terminalId: string;
  readonly merchantId: string;
  readonly currency: CurrencyCode;
  readonly acceptedSchemes: readonly CardScheme[];
  readonly pinEntryTimeoutSeconds: number;
  /** PINs a payment may take when the host answers 55 (pin-tries.ts); 1, a wrong PIN declines, when left out. */
  readonly pinAttemptsPerPayment?: number;
}

export interface CheckoutDependencies {
  readonly settings: CheckoutSettings;
  /** The station's catalog now: a price list applied between two sales prices the next one. */
  readonly catalog: CatalogLookup;
  readonly journal: Journal;
  readonly cardReader: CardReaderPort;
  readonly pinPad: PinPadPort;
  readonly acquirer: AcquirerPort;
  readonly reversals: ReversalPort;
  readonly receipts: ReceiptPort;
  readonly onProgress: (progress: PaymentProgress) => void;
  readonly log: (line: string) => void;
  /** Shared with voids and settlement; a private one when the checkout runs alone (tests). */
  readonly tillLock?: TillLock;
  readonly now?: () => Date;
}

interface ActivePayment {
  readonly id: string;
  readonly kind: CardTransactionKind;
  readonly amount: Money;
  /** A purchase's priced cart. */
  readonly lines: readonly SaleLine[];
  /** A refund's purchase. */
  readonly original?: JournalRow;
  readonly abort: AbortController;
  step: PaymentStep;
  card?: { maskedPan: string; scheme: CardScheme };
}

const JOB = 'a card payment';

export class CheckoutService {
  readonly #deps: CheckoutDependencies;
  readonly #now: () => Date;
  readonly #tillLock: TillLock;
  #active: ActivePayment | undefined;
  #settled: Promise<void> = Promise.resolve();

  constructor(deps: CheckoutDependencies) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
    this.#tillLock = deps.tillLock ?? new TillLock();
  }

  /** A sale of the cart, priced by the station from its catalog. */
  startPayment(cart: readonly { sku: string; quantity: number }[]): { paymentId: string; amount: Money } {
    const { lines, total } = priceCart(this.#deps.catalog, cart, this.#deps.settings.currency);
    return this.#start({ kind: 'purchase', amount: total, lines });
  }

  /** A refund of a journaled purchase: checked against the journal before the card is asked for. */
  startRefund(originalRrn: string, amountMinor: number): { paymentId: string; amount: Money } {
    const { original, amount } = checkRefund(this.#deps.journal, originalRrn, amountMinor, this.#deps.settings.currency);
    return this.#start({ kind: 'refund', amount, lines: [], original });
  }

  startBalanceInquiry(): { paymentId: string } {
    const { paymentId } = this.#start({ kind: 'balance_inquiry', amount: money(0, this.#deps.settings.currency), lines: [] });
    return { paymentId };
  }

  /** Cancels a transaction that has not gone to the host yet. Once authorizing, the host decides. */
  cancelPayment(paymentId: string): { cancelled: boolean } {
    const payment = this.#active;
    if (!payment || payment.id !== paymentId || payment.step === 'authorizing' || isFinalStep(payment.step)) return { cancelled: false };
    payment.abort.abort(new PaymentStopped('cancelled', 'cancelled_by_cashier'));
    return { cancelled: true };
  }

  /** Resolves when the current transaction (if any) has reached its final step; for shutdown and tests. */
  whenIdle(): Promise<void> {
    return this.#settled;
  }

  #start(what: Pick<ActivePayment, 'kind' | 'amount' | 'lines' | 'original'>): { paymentId: string; amount: Money } {
    const release = this.#tillLock.acquire(JOB);
    const payment: ActivePayment = { ...what, id: randomUUID(), abort: new AbortController(), step: 'present_card' };
    this.#active = payment;
    this.#settled = this.#run(payment).finally(() => {
      this.#active = undefined;
      release();
    });
    return { paymentId: payment.id, amount: payment.amount };
  }

  async #run(payment: ActivePayment): Promise<void> {
    const { settings } = this.#deps;
    try {
      this.#progress(payment, 'present_card');
      const card = await this.#readCard(payment);
      const scheme = detectScheme(card.pan);
      if (!scheme || !settings.acceptedSchemes.includes(scheme)) throw new PaymentStopped('failed', 'card_not_accepted');
      payment.card = { maskedPan: maskPan(card.pan), scheme };
      if (payment.original && payment.original.maskedPan !== payment.card.maskedPan) throw new PaymentStopped('failed', 'card_mismatch');
      // A wrong PIN (55) brings the customer back to the PIN pad for another attempt (pin-tries.ts).
      let attempt = 0;
      let anotherPinTry: boolean;
      do {
        attempt += 1;
        let pin: { pinBlock: Uint8Array; ksn: Uint8Array } | undefined;
        if (payment.kind !== 'refund') {
          this.#progress(payment, 'enter_pin', { pinDigits: 0, ...(attempt > 1 ? { pinAttempt: attempt } : {}) });
          pin = await this.#enterPin(payment, card, attempt);
        }
        // Last point a cancel can win: once the step is authorizing, cancelPayment refuses.
        if (payment.abort.signal.aborted) throw payment.abort.signal.reason;
        this.#progress(payment, 'authorizing');
        anotherPinTry = await this.#authorize(payment, card, scheme, pin, attempt);
      } while (anotherPinTry);
    } catch (error) {
      if (error instanceof PaymentStopped) {
        this.#progress(payment, error.step, { failure: error.failure });
      } else {
        this.#deps.log(`payment ${payment.id} failed: ${error instanceof Error ? error.message : String(error)}`);
        this.#progress(payment, 'failed', { failure: 'device_error' });
      }
    }
  }

  async #readCard(payment: ActivePayment): Promise<CardData> {
    const card = await this.#deps.cardReader.nextCard(payment.abort.signal, () => this.#progress(payment, 'present_card', { failure: 'bad_read' }));
    this.#progress(payment, 'reading');
    return card;
  }

  async #enterPin(payment: ActivePayment, card: CardData, attempt: number): Promise<{ pinBlock: Uint8Array; ksn: Uint8Array }> {
    const stopDigits = this.#deps.pinPad.onPinDigits((count) => {
      if (payment.step === 'enter_pin') this.#progress(payment, 'enter_pin', { pinDigits: count, ...(attempt > 1 ? { pinAttempt: attempt } : {}) });
    });
    try {
      const entry = await this.#deps.pinPad.requestPin({ pan: card.pan, amount: payment.amount, timeoutSeconds: this.#deps.settings.pinEntryTimeoutSeconds, attempt }, payment.abort.signal);
      // The cashier's cancel wins even over a PIN block the pad had already sent: the cashier was told
      // the sale is cancelled, so it must never reach the host.
      if (payment.abort.signal.aborted) {
        if (entry.kind === 'entered') entry.pinBlock.fill(0);
        throw payment.abort.signal.reason;
      }
      if (entry.kind === 'entered') return entry;
      throw new PaymentStopped('cancelled', entry.kind === 'timeout' ? 'pin_timeout' : 'pin_cancelled');
    } finally {
      stopDigits();
    }
  }

  /** Returns true when the host refused the PIN and the customer gets another attempt. */
  async #authorize(payment: ActivePayment, card: CardData, scheme: CardScheme, pin: { pinBlock: Uint8Array; ksn: Uint8Array } | undefined, attempt: number): Promise<boolean> {
    const { settings, journal, acquirer, reversals, log } = this.#deps;
    const now = this.#now();
    let result;
    try {
      result = await exchangeCardRequest(
        { terminalId: settings.terminalId, merchantId: settings.merchantId, journal, acquirer, reversals, log },
        { paymentId: attemptKey(payment.id, attempt), kind: payment.kind, amount: payment.amount, card, scheme, now, ...(pin ? { pin } : {}), ...(payment.original ? { original: payment.original } : {}) },
      );
    } finally {
      // The PIN block has done its one job; the station keeps no copy of it.
      pin?.pinBlock.fill(0);
    }
    const { approved, answer, stan } = result;
    // The 55 is journaled as a declined request; the payment itself goes on with a new PIN.
    if (pin && offersAnotherPinTry(answer.responseCode, attempt, settings.pinAttemptsPerPayment ?? 1)) return true;
    const outcome = { responseCode: answer.responseCode, ...(approved && answer.approvalCode ? { approvalCode: answer.approvalCode } : {}), ...(approved && answer.rrn ? { rrn: answer.rrn } : {}) };
    const balances = approved && payment.kind === 'balance_inquiry' ? parseAdditionalAmounts(answer.additionalAmounts ?? '') : undefined;
    this.#progress(payment, approved ? 'approved' : 'declined', { outcome, ...(balances ? { balances } : {}) });
    if (approved && payment.kind === 'purchase') await this.#printReceipt(payment, stan, answer, now);
    return false;
  }

  async #printReceipt(payment: ActivePayment, stan: string, answer: AuthorizationAnswer, timestamp: Date): Promise<void> {
    const card = payment.card;
    if (!card || answer.approvalCode === undefined || answer.rrn === undefined) return;
    try {
      await this.#deps.receipts.printSale({
        paymentId: payment.id,
        lines: payment.lines,
        total: payment.amount,
        ...card,
        approvalCode: answer.approvalCode,
        rrn: answer.rrn,
        stan,
        responseCode: answer.responseCode,
        timestamp,
      });
    } catch (error) {
      // The sale stands: the customer was charged. The printer's own status tells the cashier to reprint.
      this.#deps.log(`receipt for payment ${payment.id} not printed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  #progress(payment: ActivePayment, step: PaymentStep, extra: Pick<PaymentProgress, 'pinDigits' | 'pinAttempt' | 'outcome' | 'failure' | 'balances'> = {}): void {
    payment.step = step;
    this.#deps.onProgress({ paymentId: payment.id, kind: payment.kind, step, amount: payment.amount, ...(payment.card ? { card: payment.card } : {}), ...extra });
  }
}
