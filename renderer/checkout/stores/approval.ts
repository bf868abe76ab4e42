/**
 * A supervisor's approval, asked for in place on the checkout screen: the supervisor types their own
 * operator id and PIN, and the action goes to the station with them. Never on the customer's PIN pad.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Approval } from '../../../common/ipc/checkout-contract.ts';

/** What the approval is for, as the dialog names it (i18n key under approval.for). */
export type ApprovalPurpose = 'refund' | 'void' | 'priceOverride' | 'noSale' | 'settlement' | 'kioskExit';

export const useApprovalStore = defineStore('approval', () => {
  const pending = ref<{ readonly purpose: ApprovalPurpose; readonly resolve: (approval: Approval | undefined) => void }>();

  /** Opens the dialog; resolves with the credentials, or undefined when the cashier cancels. */
  function request(purpose: ApprovalPurpose): Promise<Approval | undefined> {
    pending.value?.resolve(undefined);
    return new Promise((resolve) => {
      pending.value = { purpose, resolve };
    });
  }

  function submit(operatorId: string, pin: string): void {
    const current = pending.value;
    pending.value = undefined;
    current?.resolve({ operatorId, pin });
  }

  function dismiss(): void {
    const current = pending.value;
    pending.value = undefined;
    current?.resolve(undefined);
  }

  return { pending, request, submit, dismiss };
});
