/**
 * The only place that calls ipcMain.handle. Each contract method gets its own named channel, bound to
 * one window: a call from any other sender, or from a subframe, is refused before the dispatcher
 * (which validates the input) ever sees it. Events go to that window only.
 */
import { ipcMain, type BrowserWindow } from 'electron';
import { channelOf, eventChannelOf, type Contract } from '../../common/ipc/define-contract.ts';
import { fail } from '../../common/ipc/result.ts';
import { isTrustedSender } from '../ipc/sender-policy.ts';
import type { ServedContract } from '../station/station-pages.ts';

export function serveContractOverIpc(contract: Contract, served: ServedContract, window: BrowserWindow, pageUrl: string, log: (line: string) => void): () => void {
  const channels = Object.keys(contract.methods).map((method) => channelOf(contract, method));
  for (const [index, method] of Object.keys(contract.methods).entries()) {
    ipcMain.handle(channels[index] as string, (event, input: unknown) => {
      const frame = event.senderFrame;
      const trusted = isTrustedSender(
        {
          frameUrl: frame?.url,
          isMainFrame: frame !== null && frame.parent === null,
          webContentsId: event.sender.id,
          expectedWebContentsId: window.isDestroyed() ? undefined : window.webContents.id,
        },
        pageUrl,
      );
      if (!trusted) {
        log(`ipc ${contract.name}:${method} refused: untrusted sender ${frame?.url ?? '(no frame)'}`);
        return fail('forbidden', 'this window may not call the station');
      }
      return served.dispatch(method, input);
    });
  }
  const disconnect = served.events.connect((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(eventChannelOf(contract, event), payload);
  });
  return () => {
    channels.forEach((channel) => ipcMain.removeHandler(channel));
    disconnect();
  };
}
