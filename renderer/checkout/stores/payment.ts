/**
 * The card transaction in progress (a sale, a refund or a balance inquiry), as the station reports
 * it step by step. The station runs one at a time; progress events for it may arrive before the
 * call that started it answers. The UI never decides an amount: a sale is priced by the station,
 * a refund's amount is the cashier's and the station checks it.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Money } from '../../../common/money.ts';
import { isFinalStep, type CardTransactionKind, type PaymentProgress, type PaymentStep } from '../../../common/payment.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';
import { useCartStore } from './cart.ts';
import { useJournalStore } from './journal.ts';

export const usePaymentStore = defineStore('payment', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const cart = useCartStore();
  const journal = useJournalStore();

  const starting = ref(false);
  const started = ref<{ readonly paymentId: string; readonly kind: CardTransactionKind; readonly amount?: Money }>();
  const progress = ref<PaymentProgress>();
  /** Steps this payment went through, so the indicator does not tick off steps it skipped. */
  const reached = ref<PaymentStep[]>([]);

  const paymentId = computed(() => progress.value?.paymentId ?? started.value?.paymentId);
  const kind = computed<CardTransactionKind>(() => progress.value?.kind ?? started.value?.kind ?? 'purchase');
  const active = computed(() => starting.value || paymentId.value !== undefined);
  // Before the first event the station is waiting for the card, the first step of every payment.
  const step = computed<PaymentStep>(() => progress.value?.step ?? 'present_card');
  const amount = computed(() => progress.value?.amount ?? started.value?.amount);
  const isFinal = computed(() => isFinalStep(step.value));

  async function start(): Promise<void> {
    if (cart.isEmpty) return;
    await begin('purchase', () => notices.call('startPayment', api.startPayment({ lines: cart.orderLines() })));
  }

  /** A refund of the purchase with this RRN; the amount in integer minor units, as the cashier typed it. */
  function startRefund(originalRrn: string, amountMinor: number): Promise<boolean> {
    return begin('refund', () => notices.call('startRefund', api.startRefund({ originalRrn, amountMinor })));
  }

  function startBalanceInquiry(): Promise<boolean> {
    return begin('balance_inquiry', () => notices.call('startBalanceInquiry', api.startBalanceInquiry({})));
  }

  /** Runs one start call; true when the station took it. */
  async function begin(what: CardTransactionKind, call: () => Promise<{ paymentId: string; amount?: Money } | undefined>): Promise<boolean> {
    if (active.value) return false;
    starting.value = true;
    try {
      const value = await call();
      if (value) started.value = { kind: what, ...value };
      return value !== undefined;
    } finally {
      starting.value = false;
    }
  }

  /** Listener for onPaymentProgress. Adopts a payment when none is shown (including one begun before a reload). */
  function onProgress(event: PaymentProgress): void {
    const current = paymentId.value;
    if (current !== undefined && current !== event.paymentId) return;
    const wasFinal = progress.value !== undefined && isFinalStep(progress.value.step);
    if (current === undefined) reached.value = [];
    progress.value = event;
    // A step seen before means the payment went back (a bad read returns to present_card): forget what came after it.
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

  /** Closes the finished transaction; an approved sale is paid for, so its cart goes too. */
  function newSale(): void {
    if (!isFinal.value) return;
    if (step.value === 'approved' && kind.value === 'purchase') cart.clear();
    started.value = undefined;
    progress.value = undefined;
    reached.value = [];
  }

  return { starting, progress, reached, paymentId, kind, active, step, amount, isFinal, start, startRefund, startBalanceInquiry, onProgress, cancel, newSale };
});
