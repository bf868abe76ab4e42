/** The last receipt the printer produced, shown as paper until the cashier closes it. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ReceiptModel } from '../../../common/receipt/model.ts';

export const useReceiptStore = defineStore('receipt', () => {
  const current = ref<{ readonly paymentId: string; readonly receipt: ReceiptModel }>();

  return {
    current,
    onPrinted: (printed: { paymentId: string; receipt: ReceiptModel }) => {
      current.value = printed;
    },
    close: () => {
      current.value = undefined;
    },
  };
});
