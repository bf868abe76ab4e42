/**
 * The payment flow in progress (a tender of the current sale, a card refund or a balance inquiry),
 * as the station reports it step by step. The station runs one at a time; progress events may
 * arrive before the call that started the flow answers. The UI never decides an amount: the sale is
 * priced by the station; the amounts the cashier types (cash received, a split, a refund) are
 * checked by the station.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Money } from '../../../common/money.ts';
import { isFinalStep, type CardTransactionKind, type PaymentProgress, type PaymentStep } from '../../../common/payment.ts';
import type { TenderType } from '../../../common/sale/model.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';
import { useJournalStore } from './journal.ts';

export const usePaymentStore = defineStore('payment', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const journal = useJournalStore();

  const starting = ref(false);
  const started = ref<{ readonly paymentId: string; readonly kind: CardTransactionKind; readonly tenderType: TenderType; readonly amount?: Money }>();
  const progress = ref<PaymentProgress>();
  /** Steps this flow went through, so the indicator does not tick off steps it skipped. */
  const reached = ref<PaymentStep[]>([]);

  const paymentId = computed(() => progress.value?.paymentId ?? started.value?.paymentId);
  const kind = computed<CardTransactionKind>(() => progress.value?.kind ?? started.value?.kind ?? 'purchase');
  const tenderType = computed<TenderType>(() => progress.value?.tenderType ?? started.value?.tenderType ?? 'card');
  const active = computed(() => starting.value || paymentId.value !== undefined);
  // Before the first event a card flow is waiting for the card, the first step of every card flow.
  const step = computed<PaymentStep>(() => progress.value?.step ?? (tenderType.value === 'cash' || tenderType.value === 'qr' ? 'authorizing' : 'present_card'));
  const amount = computed(() => progress.value?.amount ?? started.value?.amount);
  const isFinal = computed(() => isFinalStep(step.value));

  /** A card tender of `amountMinor` (what is due when left out). */
  function startCard(amountMinor?: number): Promise<boolean> {
    return begin('purchase', 'card', () => notices.call('startCardTender', api.startCardTender(amountMinor === undefined ? {} : { amountMinor })));
  }

  /** A cash tender: `amountMinor` of the sale (what is due when left out), `receivedMinor` handed over. */
  function startCash(receivedMinor: number, amountMinor?: number): Promise<boolean> {
    return begin('purchase', 'cash', () => notices.call('startCashTender', api.startCashTender({ receivedMinor, ...(amountMinor === undefined ? {} : { amountMinor }) })));
  }

  /** A QR tender: the station shows its code (merchant_presented), or the cashier scans the customer's code next (customer_presented). */
  function startQr(mode: 'merchant_presented' | 'customer_presented', amountMinor?: number): Promise<boolean> {
    return begin('purchase', 'qr', () => notices.call('startQrTender', api.startQrTender({ mode, ...(amountMinor === undefined ? {} : { amountMinor }) })));
  }

  function startBalanceInquiry(): Promise<boolean> {
    return begin('balance_inquiry', 'card', () => notices.call('startBalanceInquiry', api.startBalanceInquiry({})));
  }

  /** A card refund the back office started: the panel follows it. */
  function follow(paymentIdOfRefund: string, refundAmount: Money): void {
    started.value = { paymentId: paymentIdOfRefund, kind: 'refund', tenderType: 'card', amount: refundAmount };
  }

  /** Runs one start call; true when the station took it. */
  async function begin(what: CardTransactionKind, type: TenderType, call: () => Promise<{ paymentId: string } | undefined>): Promise<boolean> {
    if (active.value) return false;
    starting.value = true;
    try {
      const value = await call();
      if (value && started.value === undefined) started.value = { kind: what, tenderType: type, paymentId: value.paymentId };
      return value !== undefined;
    } finally {
      starting.value = false;
    }
  }

  /** Listener for onPaymentProgress. Adopts a flow when none is shown (including one begun before a reload). */
  function onProgress(event: PaymentProgress): void {
    const current = paymentId.value;
    if (current !== undefined && current !== event.paymentId) return;
    const wasFinal = progress.value !== undefined && isFinalStep(progress.value.step);
    if (current === undefined) reached.value = [];
    progress.value = event;
    // A step seen before means the flow went back (a bad read returns to present_card): forget what came after it.
    const seenAt = reached.value.indexOf(event.step);
    reached.value = seenAt === -1 ? [...reached.value, event.step] : reached.value.slice(0, seenAt + 1);
    if (isFinalStep(event.step) && !wasFinal) void journal.refresh();
  }

  async function cancel(): Promise<void> {
    const id = paymentId.value;
    if (id === undefined || isFinal.value) return;
    // The station answers with a final "cancelled" event; { cancelled: false } means it was already past cancelling.
    await notices.call('cancelPayment', api.cancelPayment({ paymentId: id }));
  }

  /** The application the customer chose on an inserted card with several. */
  async function chooseApplication(index: number): Promise<void> {
    const id = paymentId.value;
    if (id === undefined || isFinal.value) return;
    await notices.call('chooseApplication', api.chooseApplication({ paymentId: id, index }));
  }

  /** Closes the finished flow's panel. */
  function close(): void {
    if (!isFinal.value) return;
    started.value = undefined;
    progress.value = undefined;
    reached.value = [];
  }

  return { starting, progress, reached, paymentId, kind, tenderType, active, step, amount, isFinal, startCard, startCash, startQr, startBalanceInquiry, follow, onProgress, cancel, chooseApplication, close };
});
