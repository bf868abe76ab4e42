/**
 * The last receipt or report the printer produced, shown as paper until the cashier closes it, and
 * one that did not print cleanly: the cashier decides whether to print it again (the station never
 * does). Any sale's receipt can be printed again: the station rebuilds it from the journal.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { PrintedDocument, ReceiptIssue } from '../../../common/devices.ts';
import type { ReceiptModel } from '../../../common/receipt/model.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';

export const useReceiptStore = defineStore('receipt', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const current = ref<{ readonly document: PrintedDocument; readonly receipt: ReceiptModel }>();
  const issue = ref<ReceiptIssue>();
  const reprinting = ref(false);
  /** Sales the cashier chose to finish without a receipt (the printer could not print): asked once per sale. */
  const withoutReceipt = ref<readonly string[]>([]);

  /** Listener for onReceiptPrinted: a receipt that printed settles any issue it had. */
  function onPrinted(printed: { document: PrintedDocument; receipt: ReceiptModel }): void {
    current.value = printed;
    if (issue.value && JSON.stringify(issue.value.document) === JSON.stringify(printed.document)) issue.value = undefined;
  }

  /** Listener for onReceiptIssue. */
  function onIssue(next: ReceiptIssue): void {
    issue.value = next;
  }

  /** Prints a sale's receipt again, marked as a reprint. */
  async function reprint(saleId: string): Promise<boolean> {
    if (reprinting.value) return false;
    reprinting.value = true;
    try {
      const value = await notices.call('reprintReceipt', api.reprintReceipt({ saleId }));
      if (value?.printed) {
        if (issue.value?.document.kind === 'sale' && issue.value.document.saleId === saleId) issue.value = undefined;
      } else if (value?.issue) issue.value = { document: { kind: 'sale', saleId }, issue: value.issue };
      return value?.printed ?? false;
    } finally {
      reprinting.value = false;
    }
  }

  return {
    current,
    issue,
    reprinting,
    onPrinted,
    onIssue,
    reprint,
    goOnWithoutReceipt: (saleId: string) => {
      withoutReceipt.value = [...withoutReceipt.value.slice(-20), saleId];
    },
    wentOnWithoutReceipt: (saleId: string) => withoutReceipt.value.includes(saleId),
    reprintIssue: () => (issue.value?.document.kind === 'sale' ? reprint(issue.value.document.saleId) : Promise.resolve(false)),
    dismissIssue: () => {
      issue.value = undefined;
    },
    close: () => {
      current.value = undefined;
    },
  };
});
