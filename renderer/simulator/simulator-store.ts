/**
 * The simulated hardware as the panel sees it: the test cards to swipe, the PIN pad's own display,
 * and the devices' cables, paper and cover.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { DeviceKind } from '../../common/devices.ts';
import type { PinPadDisplay, PinPadKey, TestCard, VirtualDevices } from '../../common/ipc/simulator-contract.ts';
import { useNoticesStore } from '../shared/notices-store.ts';
import { simApi } from './sim-api.ts';

export type SwipeFault = 'none' | 'bad_read' | 'partial_track';
export type InsertFault = 'none' | 'removed_mid_transaction';
export type TapFault = 'none' | 'leaves_field_early';
export type PrinterCondition = 'paperOut' | 'paperNearEnd' | 'coverOpen';

export const useSimulatorStore = defineStore('simulator', () => {
  const api = simApi.use();
  const notices = useNoticesStore();
  const testCards = ref<TestCard[]>([]);
  const display = ref<PinPadDisplay>();
  const hardware = ref<VirtualDevices>();
  /** The card whose last swipe the reader ignored, because the station does not use the virtual reader. */
  const ignoredSwipe = ref<string>();

  async function loadTestCards(): Promise<void> {
    const value = await notices.call('loadTestCards', api.listTestCards({}));
    if (value) testCards.value = value;
  }

  async function loadHardware(): Promise<void> {
    const value = await notices.call('loadVirtualDevices', api.getVirtualDevices({}));
    if (value) hardware.value = value;
  }

  async function swipe(cardId: string, fault: SwipeFault): Promise<void> {
    const value = await notices.call('swipeCard', api.swipeCard({ cardId, fault }));
    if (value) ignoredSwipe.value = value.swiped ? undefined : cardId;
  }

  async function insertChip(cardId: string, fault: InsertFault): Promise<void> {
    const value = await notices.call('insertChipCard', api.insertChipCard({ cardId, fault }));
    if (value) ignoredSwipe.value = value.inserted ? undefined : cardId;
  }

  async function tapChip(cardId: string, fault: TapFault): Promise<void> {
    const value = await notices.call('tapChipCard', api.tapChipCard({ cardId, fault }));
    if (value) ignoredSwipe.value = value.tapped ? undefined : cardId;
  }

  /** The customer takes the inserted card back. */
  async function removeChip(): Promise<void> {
    const value = await notices.call('removeChipCard', api.removeChipCard({}));
    if (value) hardware.value = value;
  }

  async function press(key: PinPadKey): Promise<void> {
    await notices.call('pressPinPadKey', api.pressPinPadKey({ key }));
  }

  async function expirePinEntry(): Promise<void> {
    await notices.call('expirePinEntry', api.expirePinEntry({}));
  }

  async function setPlugged(device: DeviceKind, plugged: boolean): Promise<void> {
    const value = await notices.call('setDevicePlugged', api.setDevicePlugged({ device, plugged }));
    if (value) hardware.value = value;
  }

  async function setPrinterCondition(condition: PrinterCondition, on: boolean): Promise<void> {
    const value = await notices.call('setPrinterCondition', api.setPrinterCondition({ [condition]: on }));
    if (value) hardware.value = value;
  }

  async function unplugPrinterDuringNextReceipt(): Promise<void> {
    const value = await notices.call('armPrinterUnplug', api.unplugPrinterDuringNextReceipt({}));
    if (value) hardware.value = value;
  }

  /** Someone pushes the cash drawer shut. */
  async function closeDrawer(): Promise<void> {
    const value = await notices.call('closeDrawer', api.closeDrawer({}));
    if (value) hardware.value = value;
  }

  /** Listener for onPinPadDisplay. */
  function onDisplay(next: PinPadDisplay): void {
    display.value = next;
  }

  /** Listener for onVirtualDevices: the hardware changed, by this window, another one or itself. */
  function onHardware(next: VirtualDevices): void {
    hardware.value = next;
  }

  return {
    testCards,
    display,
    hardware,
    ignoredSwipe,
    loadTestCards,
    loadHardware,
    swipe,
    insertChip,
    tapChip,
    removeChip,
    press,
    expirePinEntry,
    setPlugged,
    setPrinterCondition,
    unplugPrinterDuringNextReceipt,
    closeDrawer,
    onDisplay,
    onHardware,
  };
});
