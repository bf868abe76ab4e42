/**
 * The last receipt the printer produced, shown as paper until the cashier closes it, and a receipt
 * that did not print cleanly: the cashier decides whether to reprint it (the station never does).
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ReceiptIssue } from '../../../common/devices.ts';
import type { ReceiptModel } from '../../../common/receipt/model.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';

export const useReceiptStore = defineStore('receipt', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const current = ref<{ readonly paymentId: string; readonly receipt: ReceiptModel }>();
  const issue = ref<ReceiptIssue>();
  const reprinting = ref(false);

  /** Listener for onReceiptPrinted: a receipt that printed settles any issue it had. */
  function onPrinted(printed: { paymentId: string; receipt: ReceiptModel }): void {
    current.value = printed;
    if (issue.value?.paymentId === printed.paymentId) issue.value = undefined;
  }

  /** Listener for onReceiptIssue. */
  function onIssue(next: ReceiptIssue): void {
    issue.value = next;
  }

  async function reprint(): Promise<void> {
    const pending = issue.value;
    if (!pending || reprinting.value) return;
    reprinting.value = true;
    try {
      const value = await notices.call('reprintReceipt', api.reprintReceipt({ paymentId: pending.paymentId }));
      if (value?.printed) issue.value = undefined;
      else if (value?.issue) issue.value = { ...pending, issue: value.issue };
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
    dismissIssue: () => {
      issue.value = undefined;
    },
    close: () => {
      current.value = undefined;
    },
  };
});
