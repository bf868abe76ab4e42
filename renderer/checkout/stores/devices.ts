/** The three peripherals as the station last reported them. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { DEVICE_KINDS, type DeviceStatus } from '../../../common/devices.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';

export const useDevicesStore = defineStore('devices', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const statuses = ref<DeviceStatus[]>([]);

  /** Always reader, PIN pad, printer, in that order, whatever order the reports came in. */
  const ordered = computed(() => DEVICE_KINDS.flatMap((kind) => statuses.value.filter((status) => status.device === kind)));

  async function load(): Promise<void> {
    const before = statuses.value;
    const value = await notices.call('loadDevices', api.listDevices({}));
    if (!value) return;
    // Reports pushed while the list was in flight are newer than the list.
    const pushed = statuses.value.filter((status) => !before.includes(status));
    statuses.value = [...value.filter((status) => !pushed.some((newer) => newer.device === status.device)), ...pushed];
  }

  /** Listener for onDeviceStatus: the newest report for a device replaces the previous one. */
  function onStatus(status: DeviceStatus): void {
    statuses.value = [...statuses.value.filter((existing) => existing.device !== status.device), status];
  }

  return { statuses, ordered, load, onStatus };
});
