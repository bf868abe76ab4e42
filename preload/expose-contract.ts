/**
 * Exposes one contract on window[globalName] as named methods built from the contract itself.
 * The page never gets ipcRenderer or a generic invoke (Electron security checklist #20).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channelOf, createApi, eventChannelOf, type Contract } from '../common/ipc/define-contract.ts';
import type { Result } from '../common/ipc/result.ts';

export function exposeContract(globalName: string, contract: Contract): void {
  const api = createApi(contract, {
    invoke: (method, input) => ipcRenderer.invoke(channelOf(contract, method), input) as Promise<Result<unknown>>,
    subscribe: (event, listener) => {
      const channel = eventChannelOf(contract, event);
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => {
        ipcRenderer.removeListener(channel, forward);
      };
    },
  });
  contextBridge.exposeInMainWorld(globalName, api);
}
