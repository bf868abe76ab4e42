/** The peripherals as the station last reported them, and what they allow now (common/device-readiness.ts). */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { cardBlocker, receiptBlocker, usable } from '../../../common/device-readiness.ts';
import { DEVICE_KINDS, type DeviceKind, type DeviceStatus } from '../../../common/devices.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';

export const useDevicesStore = defineStore('devices', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const statuses = ref<DeviceStatus[]>([]);

  /** Always reader, PIN pad, printer, in that order, whatever order the reports came in. */
  const ordered = computed(() => DEVICE_KINDS.flatMap((kind) => statuses.value.filter((status) => status.device === kind)));

  /** Why a card payment cannot start now, if it cannot; and why a receipt would not print. Undefined until the station has told. */
  const cardBlocked = computed(() => (loaded.value ? cardBlocker(statuses.value) : undefined));
  const receiptBlocked = computed(() => (loaded.value ? receiptBlocker(statuses.value) : undefined));
  const loaded = computed(() => statuses.value.length > 0);
  const isUsable = (device: DeviceKind) => usable(statuses.value.find((status) => status.device === device));

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

  return { statuses, ordered, cardBlocked, receiptBlocked, isUsable, load, onStatus };
});
