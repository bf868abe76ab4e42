/**
 * The cashier's back office over the till: the transactions view (refund, void) and end of day
 * (settlement and batch reports). What may be refunded or voided, and for how much, is the
 * station's to say: each journal entry carries it.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { BatchReport } from '../../../common/acquirer.ts';
import type { JournalEntry } from '../../../common/journal.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';
import { useJournalStore } from './journal.ts';
import { usePaymentStore } from './payment.ts';

export type BackOfficeView = 'transactions' | 'settlement';
/** How a void ended, as the station answered it: confirmed, still queued for the bank, or refused. */
export type VoidOutcome = 'voided' | 'queued' | 'refused';

const CLOSED_BATCHES_SHOWN = 20;

export const useBackOfficeStore = defineStore('backOffice', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const journal = useJournalStore();
  const payment = usePaymentStore();

  const view = ref<BackOfficeView>();
  /** The purchase the refund dialog is for. */
  const refunding = ref<JournalEntry>();
  /** The transaction a void waits to be confirmed for. */
  const voidCandidate = ref<JournalEntry>();
  const voiding = ref(false);
  const lastVoid = ref<{ readonly id: number; readonly outcome: VoidOutcome }>();
  const openBatch = ref<BatchReport>();
  const closedBatches = ref<BatchReport[]>([]);
  const settling = ref(false);
  /** The report of the batch this view just settled. */
  const settled = ref<BatchReport>();

  async function open(next: BackOfficeView): Promise<void> {
    view.value = next;
    lastVoid.value = undefined;
    settled.value = undefined;
    if (next === 'transactions') await journal.loadHistory();
    else await loadBatches();
  }

  function close(): void {
    view.value = undefined;
    refunding.value = undefined;
    voidCandidate.value = undefined;
  }

  async function loadBatches(): Promise<void> {
    const [open, closed] = await Promise.all([
      notices.call('loadOpenBatch', api.getOpenBatch({})),
      notices.call('loadBatches', api.listBatches({ limit: CLOSED_BATCHES_SHOWN })),
    ]);
    if (open) openBatch.value = open;
    if (closed) closedBatches.value = closed;
  }

  /** Starts the refund the dialog was filled in for; the payment panel takes over once the station accepts it. */
  async function refund(amountMinor: number): Promise<void> {
    const purchase = refunding.value;
    if (!purchase?.rrn) return;
    if (await payment.startRefund(purchase.rrn, amountMinor)) close();
  }

  async function confirmVoid(): Promise<void> {
    const candidate = voidCandidate.value;
    if (!candidate || voiding.value) return;
    voiding.value = true;
    try {
      const entry = await notices.call('voidTransaction', api.voidTransaction({ transactionId: candidate.id }));
      if (!entry) return;
      journal.onUpdated(entry);
      lastVoid.value = { id: entry.id, outcome: entry.status === 'voided' ? 'voided' : entry.status === 'reversal_pending' ? 'queued' : 'refused' };
    } finally {
      voiding.value = false;
      voidCandidate.value = undefined;
    }
  }

  async function settle(): Promise<void> {
    if (settling.value) return;
    settling.value = true;
    try {
      const report = await notices.call('settleBatch', api.settleBatch({}));
      if (report) settled.value = report;
      await loadBatches();
    } finally {
      settling.value = false;
    }
  }

  return {
    view,
    refunding,
    voidCandidate,
    voiding,
    lastVoid,
    openBatch,
    closedBatches,
    settling,
    settled,
    open,
    close,
    refund,
    confirmVoid,
    settle,
  };
});
