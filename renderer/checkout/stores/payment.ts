/**
 * The card payment in progress, as the station reports it step by step. The station runs one
 * payment at a time; progress events for it may arrive before startPayment itself answers.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Money } from '../../../common/money.ts';
import { isFinalStep, type PaymentProgress, type PaymentStep } from '../../../common/payment.ts';
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
  const started = ref<{ readonly paymentId: string; readonly amount: Money }>();
  const progress = ref<PaymentProgress>();
  /** Steps this payment went through, so the indicator does not tick off steps it skipped. */
  const reached = ref<PaymentStep[]>([]);

  const paymentId = computed(() => progress.value?.paymentId ?? started.value?.paymentId);
  const active = computed(() => starting.value || paymentId.value !== undefined);
  // Before the first event the station is waiting for the card, the first step of every payment.
  const step = computed<PaymentStep>(() => progress.value?.step ?? 'present_card');
  const amount = computed(() => progress.value?.amount ?? started.value?.amount);
  const isFinal = computed(() => isFinalStep(step.value));

  async function start(): Promise<void> {
    if (active.value || cart.isEmpty) return;
    starting.value = true;
    try {
      const value = await notices.call('startPayment', api.startPayment({ lines: cart.orderLines() }));
      if (value) started.value = value;
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

  /** Closes the finished payment; an approved sale is paid for, so its cart goes too. */
  function newSale(): void {
    if (!isFinal.value) return;
    if (step.value === 'approved') cart.clear();
    started.value = undefined;
    progress.value = undefined;
    reached.value = [];
  }

  return { starting, progress, reached, paymentId, active, step, amount, isFinal, start, onProgress, cancel, newSale };
});
