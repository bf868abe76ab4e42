/**
 * The station's journal as the UI shows it: the most recent transactions under the till (refreshed
 * after each payment ends) and the longer list of the transactions view. A row the station changes
 * on its own (a queued reversal confirmed, say) arrives through onUpdated and replaces its old copy.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { JournalEntry } from '../../../common/journal.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';

export const RECENT_TRANSACTIONS = 10;
/** The transactions view: about a day's work at a busy till. */
export const TRANSACTION_HISTORY = 200;

export const useJournalStore = defineStore('journal', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const entries = ref<JournalEntry[]>([]);
  const history = ref<JournalEntry[]>([]);

  async function refresh(): Promise<void> {
    const value = await notices.call('loadJournal', api.listJournal({ limit: RECENT_TRANSACTIONS }));
    if (value) entries.value = value;
  }

  async function loadHistory(): Promise<void> {
    const value = await notices.call('loadTransactions', api.listJournal({ limit: TRANSACTION_HISTORY }));
    if (value) history.value = value;
  }

  /** Listener for onTransactionUpdated, and for answers that carry an updated entry (a void). */
  function onUpdated(entry: JournalEntry): void {
    const replace = (list: JournalEntry[]) => (list.some((existing) => existing.id === entry.id) ? list.map((existing) => (existing.id === entry.id ? entry : existing)) : list);
    entries.value = replace(entries.value);
    history.value = replace(history.value);
  }

  return { entries, history, refresh, loadHistory, onUpdated };
});
