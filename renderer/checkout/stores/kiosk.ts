/**
 * Leaving kiosk mode: the exit keys were pressed (the station said so), so the checkout asks for a
 * supervisor in place, as for a void, and sends their id and PIN to the station, which checks them
 * and lets the app quit. A cancel or a refusal leaves the checkout as it was.
 */
import { defineStore } from 'pinia';
import { useNoticesStore } from '../../shared/notices-store.ts';
import { posApi } from '../pos-api.ts';
import { useApprovalStore } from './approval.ts';

export const useKioskStore = defineStore('kiosk', () => {
  const api = posApi.use();
  const notices = useNoticesStore();
  const approval = useApprovalStore();

  /** Listener for onKioskExitRequested. */
  async function onExitRequested(): Promise<void> {
    const credentials = await approval.request('kioskExit');
    if (!credentials) return;
    await notices.call('exitKiosk', api.exitKiosk({ approval: credentials }));
  }

  return { onExitRequested };
});
