/** Who and where this terminal is: merchant, terminal ID, currency, acquirer. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { StationInfo } from '../../../common/ipc/checkout-contract.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';

export const useStationStore = defineStore('station', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const info = ref<StationInfo>();

  async function load(): Promise<void> {
    const value = await notices.call('loadStation', api.getStationInfo({}));
    if (value) info.value = value;
  }

  return { info, load };
});
