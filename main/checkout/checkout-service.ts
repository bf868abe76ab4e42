/**
 * One card sale, start to finish, as the cashier sees it:
 *   present card → reading → enter PIN → authorizing → approved / declined (or cancelled / failed).
 *
 * The journal row is written before the request leaves and completed with the answer, so a crash at
 * any point leaves a row saying how far the sale got. Card data lives only for the length of the
 * authorization; the journal, the log and the UI get the masked PAN.
 */
import { randomUUID } from 'node:crypto';
import { detectScheme, type CardScheme } from '../../common/card/scheme.ts';
import { maskPan } from '../../common/card/pan.ts';
import type { CardData } from '../../common/card/tracks.ts';
import type { Product } from '../../common/ipc/checkout-contract.ts';
import type { CurrencyCode, Money } from '../../common/money.ts';
import { isFinalStep, type PaymentFailure, type PaymentProgress, type PaymentStep } from '../../common/payment.ts';
import { AcquirerTimeoutError } from '../acquirer/acquirer-link.ts';
import { buildPurchaseRequest, readAuthorizationAnswer, transmissionDateTime, ENTRY_MODE_SWIPE_WITH_PIN } from '../acquirer/purchase-message.ts';
import { IpcRejection } from '../ipc/dispatcher.ts';
import type { Journal } from '../journal/journal.ts';
import type { AcquirerPort, CardReaderPort, PinPadPort, ReceiptPort, SaleLine } from './ports.ts';
import { priceCart } from './price-cart.ts';

export interface CheckoutSettings {
  readonly terminalId: string;
  readonly merchantId: string;
  readonly currency: CurrencyCode;
  readonly acceptedSchemes: readonly CardScheme[];
  readonly pinEntryTimeoutSeconds: number;
}

export interface CheckoutDependencies {
  readonly settings: CheckoutSettings;
  readonly catalog: readonly Product[];
  readonly journal: Journal;
  readonly cardReader: CardReaderPort;
  readonly pinPad: PinPadPort;
  readonly acquirer: AcquirerPort;
  readonly receipts: ReceiptPort;
  readonly onProgress: (progress: PaymentProgress) => void;
  readonly log: (line: string) => void;
  readonly now?: () => Date;
}

interface ActivePayment {
  readonly id: string;
  readonly amount: Money;
  readonly lines: readonly SaleLine[];
  readonly abort: AbortController;
  step: PaymentStep;
  card?: { maskedPan: string; scheme: CardScheme };
}

class PaymentStopped extends Error {
  readonly step: 'cancelled' | 'failed';
  readonly failure: PaymentFailure;

  constructor(step: 'cancelled' | 'failed', failure: PaymentFailure) {
    super(failure);
    this.step = step;
    this.failure = failure;
  }
}

export class CheckoutService {
  readonly #deps: CheckoutDependencies;
  readonly #now: () => Date;
  #active: ActivePayment | undefined;
  #settled: Promise<void> = Promise.resolve();

  constructor(deps: CheckoutDependencies) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  startPayment(cart: readonly { sku: string; quantity: number }[]): { paymentId: string; amount: Money } {
    if (this.#active) throw new IpcRejection('busy', 'a payment is already in progress');
    const { lines, total } = priceCart(this.#deps.catalog, cart, this.#deps.settings.currency);
    const payment: ActivePayment = { id: randomUUID(), amount: total, lines, abort: new AbortController(), step: 'present_card' };
    this.#active = payment;
    this.#settled = this.#run(payment);
    return { paymentId: payment.id, amount: total };
  }

  /** Cancels a payment that has not gone to the host yet. Once authorizing, the host decides. */
  cancelPayment(paymentId: string): { cancelled: boolean } {
    const payment = this.#active;
    if (!payment || payment.id !== paymentId || payment.step === 'authorizing' || isFinalStep(payment.step)) return { cancelled: false };
    payment.abort.abort(new PaymentStopped('cancelled', 'cancelled_by_cashier'));
    return { cancelled: true };
  }

  /** Resolves when the current payment (if any) has reached its final step; for shutdown and tests. */
  whenIdle(): Promise<void> {
    return this.#settled;
  }

  async #run(payment: ActivePayment): Promise<void> {
    const { settings } = this.#deps;
    try {
      this.#progress(payment, 'present_card');
      const card = await this.#readCard(payment);
      const scheme = detectScheme(card.pan);
      if (!scheme || !settings.acceptedSchemes.includes(scheme)) throw new PaymentStopped('failed', 'card_not_accepted');
      payment.card = { maskedPan: maskPan(card.pan), scheme };
      this.#progress(payment, 'enter_pin', { pinDigits: 0 });
      const pin = await this.#enterPin(payment, card);
      this.#progress(payment, 'authorizing');
      await this.#authorize(payment, card, scheme, pin);
    } catch (error) {
      if (error instanceof PaymentStopped) {
        this.#progress(payment, error.step, { failure: error.failure });
      } else {
        this.#deps.log(`payment ${payment.id} failed: ${error instanceof Error ? error.message : String(error)}`);
        this.#progress(payment, 'failed', { failure: 'device_error' });
      }
    } finally {
      this.#active = undefined;
    }
  }

  async #readCard(payment: ActivePayment): Promise<CardData> {
    const card = await this.#deps.cardReader.nextCard(payment.abort.signal, () => this.#progress(payment, 'present_card', { failure: 'bad_read' }));
    this.#progress(payment, 'reading');
    return card;
  }

  async #enterPin(payment: ActivePayment, card: CardData): Promise<{ pinBlock: Uint8Array; ksn: Uint8Array }> {
    const stopDigits = this.#deps.pinPad.onPinDigits((count) => {
      if (payment.step === 'enter_pin') this.#progress(payment, 'enter_pin', { pinDigits: count });
    });
    try {
      const entry = await this.#deps.pinPad.requestPin({ pan: card.pan, amount: payment.amount, timeoutSeconds: this.#deps.settings.pinEntryTimeoutSeconds }, payment.abort.signal);
      if (entry.kind === 'entered') return entry;
      if (payment.abort.signal.aborted) throw payment.abort.signal.reason;
      throw new PaymentStopped('cancelled', entry.kind === 'timeout' ? 'pin_timeout' : 'pin_cancelled');
    } finally {
      stopDigits();
    }
  }

  async #authorize(payment: ActivePayment, card: CardData, scheme: CardScheme, pin: { pinBlock: Uint8Array; ksn: Uint8Array }): Promise<void> {
    const { settings, journal } = this.#deps;
    const now = this.#now();
    const stan = journal.nextStan();
    const request = buildPurchaseRequest({ stan, terminalId: settings.terminalId, merchantId: settings.merchantId, amount: payment.amount, card, pinBlock: pin.pinBlock, ksn: pin.ksn, now });
    const row = journal.recordPending({
      paymentId: payment.id,
      kind: 'purchase',
      amount: payment.amount,
      maskedPan: maskPan(card.pan),
      scheme,
      entryMode: ENTRY_MODE_SWIPE_WITH_PIN,
      terminalId: settings.terminalId,
      stan,
      transmittedAt: transmissionDateTime(now),
    });
    let answer;
    try {
      answer = readAuthorizationAnswer(await this.#deps.acquirer.request(request));
    } catch (error) {
      journal.complete(row, { status: 'failed' });
      this.#deps.log(`payment ${payment.id} stan ${stan}: ${error instanceof Error ? error.message : String(error)}`);
      throw new PaymentStopped('failed', error instanceof AcquirerTimeoutError ? 'host_timeout' : 'host_unreachable');
    } finally {
      // The PIN block has done its one job; the station keeps no copy of it.
      pin.pinBlock.fill(0);
    }
    const approved = answer.responseCode === '00' && answer.approvalCode !== undefined && answer.rrn !== undefined;
    journal.complete(row, { status: approved ? 'approved' : 'declined', ...answer });
    this.#progress(payment, approved ? 'approved' : 'declined', { outcome: answer });
    if (approved) await this.#printReceipt(payment, stan, answer.responseCode, answer.approvalCode as string, answer.rrn as string, now);
  }

  async #printReceipt(payment: ActivePayment, stan: string, responseCode: string, approvalCode: string, rrn: string, timestamp: Date): Promise<void> {
    const card = payment.card;
    if (!card) return;
    try {
      await this.#deps.receipts.printSale({ paymentId: payment.id, lines: payment.lines, total: payment.amount, ...card, approvalCode, rrn, stan, responseCode, timestamp });
    } catch (error) {
      // The sale stands: the customer was charged. The printer's own status tells the cashier to reprint.
      this.#deps.log(`receipt for payment ${payment.id} not printed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  #progress(payment: ActivePayment, step: PaymentStep, extra: Pick<PaymentProgress, 'pinDigits' | 'outcome' | 'failure'> = {}): void {
    payment.step = step;
    this.#deps.onProgress({ paymentId: payment.id, step, amount: payment.amount, ...(payment.card ? { card: payment.card } : {}), ...extra });
  }
}
