/** The station's most recent transactions, refreshed after each payment ends. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { JournalEntry } from '../../../common/ipc/checkout-contract.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';

export const RECENT_TRANSACTIONS = 10;

export const useJournalStore = defineStore('journal', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const entries = ref<JournalEntry[]>([]);

  async function refresh(): Promise<void> {
    const value = await notices.call('loadJournal', api.listJournal({ limit: RECENT_TRANSACTIONS }));
    if (value) entries.value = value;
  }

  return { entries, refresh };
});
