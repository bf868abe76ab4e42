/**
 * Who is at the till and the drawer's shift, as the station reports them. Nothing can be sold until
 * a cashier signs in and a shift is open with its float.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SessionState } from '../../../common/shift.ts';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';

export const useSessionStore = defineStore('session', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const state = ref<SessionState>();
  const busy = ref(false);

  const operator = computed(() => state.value?.operator);
  const shift = computed(() => state.value?.shift);
  /** Whether the till may sell: someone signed in and a shift open. */
  const ready = computed(() => operator.value !== undefined && shift.value !== undefined);

  async function load(): Promise<void> {
    const value = await notices.call('loadSession', api.getSession({}));
    if (value && state.value === undefined) state.value = value;
  }

  /** Listener for onSession. */
  function onSession(next: SessionState): void {
    state.value = next;
  }

  async function run(action: () => Promise<SessionState | undefined>): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    try {
      const value = await action();
      if (value) state.value = value;
      return value !== undefined;
    } finally {
      busy.value = false;
    }
  }

  const signIn = (operatorId: string, pin: string) => run(() => notices.call('signIn', api.signIn({ operatorId, pin })));
  const signOut = () => run(() => notices.call('signOut', api.signOut({})));
  const openShift = (floatMinor: number) =>
    run(async () => {
      const opened = await notices.call('openShift', api.openShift({ floatMinor }));
      return opened && { ...state.value, shift: opened };
    });

  return { state, operator, shift, ready, busy, load, onSession, signIn, signOut, openShift };
});
