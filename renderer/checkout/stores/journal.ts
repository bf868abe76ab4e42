/**
 * Sales as the UI lists them: the few most recent under the till, and the transactions view's list,
 * newest first, a page at a time by keyset (it reaches every sale the journal holds). A sale the
 * station changes on its own (a void the host confirmed later) arrives through onSaleChanged.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SaleSummary } from '../../../common/sale/model.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';

export const RECENT_SALES = 8;
export const PAGE_SIZE = 50;

export const useJournalStore = defineStore('journal', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const recent = ref<SaleSummary[]>([]);
  const history = ref<SaleSummary[]>([]);
  /** Whether the last page came back full: there may be older sales. */
  const more = ref(false);

  async function refresh(): Promise<void> {
    const value = await notices.call('loadRecentSales', api.listSales({ limit: RECENT_SALES }));
    if (value) recent.value = value.sales;
  }

  async function loadHistory(): Promise<void> {
    const value = await notices.call('loadTransactions', api.listSales({ limit: PAGE_SIZE }));
    if (!value) return;
    history.value = value.sales;
    more.value = value.sales.length === PAGE_SIZE;
  }

  async function loadMore(): Promise<void> {
    const last = history.value.at(-1);
    if (!last) return loadHistory();
    const value = await notices.call('loadTransactions', api.listSales({ before: last.id, limit: PAGE_SIZE }));
    if (!value) return;
    history.value = [...history.value, ...value.sales];
    more.value = value.sales.length === PAGE_SIZE;
  }

  /** Listener for onSaleChanged: the newer copy replaces the old, and a new sale joins the recent ones. */
  function onChanged(summary: SaleSummary): void {
    const replace = (list: SaleSummary[]) => (list.some((existing) => existing.id === summary.id) ? list.map((existing) => (existing.id === summary.id ? summary : existing)) : list);
    history.value = replace(history.value);
    recent.value = recent.value.some((existing) => existing.id === summary.id) ? replace(recent.value) : [summary, ...recent.value].slice(0, RECENT_SALES);
  }

  return { recent, history, more, refresh, loadHistory, loadMore, onChanged };
});
