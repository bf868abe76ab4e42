/**
 * The cashier's work beside the sale: the transactions (any sale's receipt again, a void, a refund
 * per tender), the shift (X report, cash in and out, a no-sale, the blind close and its Z report)
 * and end of day (settlement). What needs a supervisor asks for one in place (approval.ts).
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { BatchReport } from '../../../common/acquirer.ts';
import type { GivenBack } from '../../../common/ipc/checkout-contract.ts';
import type { Sale, Tender } from '../../../common/sale/model.ts';
import type { ShiftReport } from '../../../common/shift.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';
import { useApprovalStore } from './approval.ts';
import { useJournalStore } from './journal.ts';
import { usePaymentStore } from './payment.ts';

export type BackOfficeView = 'transactions' | 'shift' | 'settlement';

const CLOSED_BATCHES_SHOWN = 20;

export const useBackOfficeStore = defineStore('backOffice', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const journal = useJournalStore();
  const payment = usePaymentStore();
  const approval = useApprovalStore();

  const view = ref<BackOfficeView>();
  /** The sale the transactions view shows in full. */
  const selected = ref<Sale>();
  /** The tender the refund dialog is for. */
  const refunding = ref<{ readonly sale: Sale; readonly tender: Tender }>();
  /** What a void or a cancel did to each tender. */
  const givenBack = ref<GivenBack>();
  const openBatch = ref<BatchReport>();
  const closedBatches = ref<BatchReport[]>([]);
  const confirmingSettlement = ref(false);
  const settling = ref(false);
  /** The report of the batch this view just settled. */
  const settled = ref<BatchReport>();
  const report = ref<ShiftReport>();

  async function open(next: BackOfficeView): Promise<void> {
    view.value = next;
    selected.value = undefined;
    givenBack.value = undefined;
    settled.value = undefined;
    confirmingSettlement.value = false;
    report.value = undefined;
    if (next === 'transactions') await journal.loadHistory();
    else if (next === 'settlement') await loadBatches();
    else await loadXReport();
  }

  function close(): void {
    view.value = undefined;
    refunding.value = undefined;
    selected.value = undefined;
  }

  async function select(saleId: string): Promise<void> {
    const sale = await notices.call('loadSale', api.getSale({ saleId }));
    if (sale) selected.value = sale;
  }

  async function voidSale(sale: Sale): Promise<void> {
    const credentials = await approval.request('void');
    if (!credentials) return;
    const result = await notices.call('voidSale', api.voidSale({ saleId: sale.id, approval: credentials }));
    if (!result) return;
    givenBack.value = result;
    selected.value = result.sale;
  }

  /** Refunds `amountMinor` of the tender the dialog is for; a card refund hands over to the payment panel. */
  async function refund(amountMinor: number): Promise<void> {
    const target = refunding.value;
    if (!target) return;
    const credentials = await approval.request('refund');
    if (!credentials) return;
    const result = await notices.call('refundTender', api.refundTender({ saleId: target.sale.id, tenderId: target.tender.id, amountMinor, approval: credentials }));
    if (!result) return;
    refunding.value = undefined;
    if (result.paymentId) {
      payment.follow(result.paymentId, { amountMinor, currency: target.sale.currency });
      close();
    } else if (result.sale) selected.value = result.sale;
  }

  async function loadBatches(): Promise<void> {
    const [batch, closed] = await Promise.all([notices.call('loadOpenBatch', api.getOpenBatch({})), notices.call('loadBatches', api.listBatches({ limit: CLOSED_BATCHES_SHOWN }))]);
    if (batch) openBatch.value = batch;
    if (closed) closedBatches.value = closed;
  }

  /** Settles after the cashier confirmed the totals, with a supervisor's approval. */
  async function settle(): Promise<void> {
    if (settling.value) return;
    const credentials = await approval.request('settlement');
    if (!credentials) return;
    settling.value = true;
    try {
      const closed = await notices.call('settleBatch', api.settleBatch({ approval: credentials }));
      if (closed) settled.value = closed;
      confirmingSettlement.value = false;
      await loadBatches();
    } finally {
      settling.value = false;
    }
  }

  async function loadXReport(): Promise<void> {
    const x = await notices.call('loadXReport', api.getXReport({}));
    if (x) report.value = x;
  }

  async function printXReport(): Promise<void> {
    const x = await notices.call('printXReport', api.printXReport({}));
    if (x) report.value = x;
  }

  async function moveCash(kind: 'paid_in' | 'paid_out', amountMinor: number, reason: string): Promise<boolean> {
    const x = await notices.call('moveCash', api.moveCash({ kind, amountMinor, reason }));
    if (x) report.value = x;
    return x !== undefined;
  }

  async function noSale(reason: string): Promise<void> {
    const credentials = await approval.request('noSale');
    if (!credentials) return;
    await notices.call('noSale', api.noSale({ reason, approval: credentials }));
    await loadXReport();
  }

  /** The blind close: the count goes to the station, the Z report comes back with the expected cash. */
  async function closeShift(countedMinor: number): Promise<void> {
    const z = await notices.call('closeShift', api.closeShift({ countedMinor }));
    if (z) report.value = z;
  }

  return {
    view,
    selected,
    refunding,
    givenBack,
    openBatch,
    closedBatches,
    confirmingSettlement,
    settling,
    settled,
    report,
    open,
    close,
    select,
    voidSale,
    refund,
    settle,
    printXReport,
    moveCash,
    noSale,
    closeShift,
  };
});
