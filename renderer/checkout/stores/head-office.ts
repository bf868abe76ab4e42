/** The upload to the head office as the station last reported it (only a station with a head office reports it). */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { HeadOfficeStatus } from '../../../common/head-office/upload-status.ts';

export const useHeadOfficeStore = defineStore('headOffice', () => {
  const status = ref<HeadOfficeStatus>();

  /** Listener for onHeadOfficeStatus (replayed to a window that connects). */
  function onStatus(next: HeadOfficeStatus): void {
    status.value = next;
  }

  return { status, onStatus };
});
