/** The simulated hardware as the panel sees it: the test cards to swipe and the PIN pad's own display. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { PinPadDisplay, PinPadKey, TestCard } from '../../common/ipc/simulator-contract.ts';
import { useNoticesStore } from '../shared/notices-store.ts';
import { simApi } from './sim-api.ts';

export const useSimulatorStore = defineStore('simulator', () => {
  const api = simApi.use();
  const notices = useNoticesStore();
  const testCards = ref<TestCard[]>([]);
  const display = ref<PinPadDisplay>();
  /** The card whose last swipe the reader ignored, because no payment was waiting for one. */
  const ignoredSwipe = ref<string>();

  async function loadTestCards(): Promise<void> {
    const value = await notices.call('loadTestCards', api.listTestCards({}));
    if (value) testCards.value = value;
  }

  async function swipe(cardId: string, fault: 'none' | 'bad_read'): Promise<void> {
    const value = await notices.call('swipeCard', api.swipeCard({ cardId, fault }));
    if (value) ignoredSwipe.value = value.swiped ? undefined : cardId;
  }

  async function press(key: PinPadKey): Promise<void> {
    await notices.call('pressPinPadKey', api.pressPinPadKey({ key }));
  }

  /** Listener for onPinPadDisplay. */
  function onDisplay(next: PinPadDisplay): void {
    display.value = next;
  }

  return { testCards, display, ignoredSwipe, loadTestCards, swipe, press, onDisplay };
});
