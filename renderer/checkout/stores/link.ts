/** The acquirer link as the station last reported it: up, signing on or down, and reversals still to send. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { LinkStatus } from '../../../common/acquirer.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';

export const useLinkStore = defineStore('link', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const status = ref<LinkStatus>();

  async function load(): Promise<void> {
    const value = await notices.call('loadLinkStatus', api.getLinkStatus({}));
    // A report pushed while the call was in flight is newer than its answer.
    if (value && status.value === undefined) status.value = value;
  }

  /** Listener for onLinkStatus. */
  function onStatus(next: LinkStatus): void {
    status.value = next;
  }

  return { status, load, onStatus };
});
