/**
 * The till's dialogs around the current sale: the cash dialog (for all that is due, or a part of a
 * split), the discount dialog (a line, or the whole sale), and a cancelled sale's account of what
 * became of each tender that held money.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { GivenBack } from '../../../common/ipc/checkout-contract.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';
import { usePaymentStore } from './payment.ts';

export const useTillStore = defineStore('till', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const payment = usePaymentStore();
  const cash = ref<{ readonly amountMinor: number; readonly part: boolean }>();
  /** The line the discount dialog is for; null for the whole sale; undefined when closed. */
  const discountLine = ref<number | null>();
  const cancelled = ref<GivenBack>();
  const cancelling = ref(false);

  /** Takes the cash the dialog is for; the dialog closes once the station took it (and stays, with the banner, if not). */
  async function takeCash(receivedMinor: number): Promise<void> {
    const pending = cash.value;
    if (!pending) return;
    if (await payment.startCash(receivedMinor, pending.part ? pending.amountMinor : undefined)) cash.value = undefined;
  }

  async function cancelSale(): Promise<void> {
    if (cancelling.value) return;
    cancelling.value = true;
    try {
      const result = await notices.call('cancelSale', api.cancelSale({}));
      // A sale that held no money needs no account of it.
      if (result && result.tenders.length > 0) cancelled.value = result;
    } finally {
      cancelling.value = false;
    }
  }

  return {
    cash,
    discountLine,
    cancelled,
    cancelling,
    openCash: (amountMinor: number, part: boolean) => {
      cash.value = { amountMinor, part };
    },
    closeCash: () => {
      cash.value = undefined;
    },
    openDiscount: (lineNo: number | undefined) => {
      discountLine.value = lineNo ?? null;
    },
    closeDiscount: () => {
      discountLine.value = undefined;
    },
    takeCash,
    cancelSale,
    closeCancelled: () => {
      cancelled.value = undefined;
    },
  };
});
