/** The virtual barcode scanner as the panel sees it: catalog barcodes to scan, found by a query, and an unknown code. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ScanCodes } from '../../common/ipc/simulator-contract.ts';
import { useNoticesStore } from '../shared/notices-store.ts';
import { simApi } from './sim-api.ts';

export const useScannerPanelStore = defineStore('scannerPanel', () => {
  const api = simApi.use();
  const notices = useNoticesStore();
  const codes = ref<ScanCodes>({ items: [], unknownCode: '' });
  /** The code of the last scan the station ignored, because it does not use the virtual scanner. */
  const ignored = ref<string>();
  let latestQuery = 0;

  async function find(query: string): Promise<void> {
    const asked = ++latestQuery;
    const value = await notices.call('loadScanCodes', api.listScanCodes({ query }));
    // Answers can cross on the wire while the query is typed: only the newest one is shown.
    if (value && asked === latestQuery) codes.value = value;
  }

  async function scan(code: string): Promise<void> {
    const value = await notices.call('scanBarcode', api.scanBarcode({ code }));
    if (value) ignored.value = value.scanned ? undefined : code;
  }

  return { codes, ignored, find, scan };
});
