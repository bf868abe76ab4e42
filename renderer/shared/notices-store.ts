/**
 * Failed IPC calls, kept until the cashier dismisses them. Every call goes through `call`, so an
 * error Result (or a rejected promise from a broken transport) always reaches the banner.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { IpcError, Result } from '../../common/ipc/result.ts';
import type { IpcAction } from './ipc-actions.ts';

export interface Notice {
  readonly id: number;
  readonly action: IpcAction;
  readonly error: IpcError;
}

/** Enough to show a burst of failures without letting a dead connection pile up an endless list. */
const MAX_NOTICES = 5;

export const useNoticesStore = defineStore('notices', () => {
  const notices = ref<Notice[]>([]);
  let nextId = 1;

  function report(action: IpcAction, error: IpcError): void {
    notices.value = [...notices.value, { id: nextId++, action, error }].slice(-MAX_NOTICES);
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((notice) => notice.id !== id);
  }

  /** Awaits an IPC call; on failure reports it and answers undefined, so callers only handle success. */
  async function call<T>(action: IpcAction, invocation: Promise<Result<T>>): Promise<T | undefined> {
    let result: Result<T>;
    try {
      result = await invocation;
    } catch (error) {
      report(action, { code: 'internal', message: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
    if (result.ok) return result.value;
    report(action, result.error);
    return undefined;
  }

  return { notices, report, dismiss, call };
});
